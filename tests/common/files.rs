//! Copying a folder of fixtures into a test's own temporary folder. A test file that needs
//! it says `#[path = "common/files.rs"] mod files;`.

use std::fs;
use std::path::Path;

/// Copies the folder `from`, with everything in it, to `to` (made if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder to copy into");
    for entry in fs::read_dir(from).expect("the folder can be read") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("the file can be copied");
        }
    }
}

//! Writing a file that holds a client's data: owner-only (0600), all or nothing, and
//! never through a symbolic link. Every file sanctuary writes (letters, advice records,
//! calendars, exports) goes through here.
//!
//! A write goes to a new temporary file in the target's own folder, is synced, and is
//! then moved into place: with [`Overwrite::Never`] by a hard link, which fails rather
//! than replace anything that appeared meanwhile, with [`Overwrite::Replace`] by a
//! rename. A link at the target is refused, not followed. On any error the temporary
//! file is removed, so no partial file with client data is left behind.
//!
//! While it is being written the temporary file is locked (`flock`); a temporary file
//! of ours that nobody holds locked is what a killed write left behind (a power cut, the
//! OOM killer, `kill -9`), often a complete hidden letter. Every write sweeps such files
//! from its folder first, and the app sweeps its letters folder at start
//! ([`sweep_stale_temporary_files`]).
//!
//! Reading a file someone names goes through [`read_text`], which never reads more
//! than a limit: a wrong file (`/dev/zero`, a video) is refused at once.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The most a letter template or the organisations file may hold, in bytes, when
/// loaded from a folder (the largest shipped one is about a tenth of it).
pub const MAX_TEMPLATE_FILE_BYTES: u64 = 1024 * 1024;

/// Reads a file as UTF-8 text, reading at most one byte past `limit` however large
/// the file (or endless the device) is. A larger file is an error of kind
/// `FileTooLarge` saying the limit and what the file was meant to be (`what`, e.g.
/// "a client details file").
pub fn read_text(path: &Path, limit: u64, what: &str) -> io::Result<String> {
    let mut bytes = Vec::new();
    File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        let shown = if limit >= 1024 * 1024 {
            format!("{} MiB", limit / (1024 * 1024))
        } else {
            format!("{} KiB", limit / 1024)
        };
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("it is larger than {shown}, the most {what} may hold"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// What to do when the target already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse: the existing file is left as it is.
    Never,
    /// Replace it (a regular file only; a link is still refused).
    Replace,
    /// Keep it, and write to the first free name instead: `name-2.pdf`, `name-3.pdf`...
    NewName,
}

/// A file that could not be written. Nothing was left behind.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{} already exists; nothing was written (choose another name, or replace it)", .0.display())]
    Exists(PathBuf),
    #[error("{} is a symbolic link; sanctuary never writes through a link, so nothing was written", .0.display())]
    Link(PathBuf),
    #[error("{} is not a regular file; nothing was written", .0.display())]
    NotAFile(PathBuf),
    #[error("the folder {} does not exist; nothing was written", .0.display())]
    NoFolder(PathBuf),
    #[error("could not write {}: {source}; nothing was written", path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl WriteError {
    fn io(path: &Path, source: io::Error) -> Self {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A file written to its temporary name, not yet in place. Dropping it removes it;
/// [`Staged::commit`] moves it into place. Writing several files all or nothing is
/// staging them all, then committing them all (and, should a later commit fail,
/// [`Committed::undo`] takes the earlier ones back).
#[derive(Debug)]
pub struct Staged {
    temp: Option<PathBuf>,
    /// The temporary file, open and locked so no sweep takes it for a leftover.
    _held: File,
    target: PathBuf,
    overwrite: Overwrite,
}

/// A file moved into place by [`Staged::commit`]. With [`Overwrite::Replace`] the file
/// it replaced is kept under a hidden name (locked, so no sweep takes it) until the work
/// is done: [`Committed::keep`] then lets it go, and [`Committed::undo`] puts it back, so
/// a replacement is all or nothing too.
#[derive(Debug)]
pub struct Committed {
    pub path: PathBuf,
    replaced: Option<(PathBuf, File)>,
}

impl Committed {
    /// Takes the file back (when a later step of the same piece of work failed): the
    /// file it replaced returns, or the new one is removed.
    pub fn undo(self) {
        match self.replaced {
            Some((backup, _held)) => {
                let _ = fs::rename(&backup, &self.path);
            }
            None => {
                let _ = fs::remove_file(&self.path);
            }
        }
    }

    /// The work is done: the file stays, and the one it replaced goes. Its path.
    pub fn keep(self) -> PathBuf {
        if let Some((backup, _held)) = self.replaced {
            let _ = fs::remove_file(backup);
        }
        self.path
    }
}

/// Writes `bytes` to `path` owner-only, all or nothing. Returns the path written,
/// which differs from `path` only with [`Overwrite::NewName`].
pub fn write_private(
    path: &Path,
    bytes: &[u8],
    overwrite: Overwrite,
) -> Result<PathBuf, WriteError> {
    Ok(stage(path, bytes, overwrite)?.commit()?.keep())
}

/// Writes several files all or nothing: every one is staged first, then each is moved
/// into place; if one cannot be, those already in place are taken back. Returns the
/// paths written, in order.
pub fn write_all_private(
    files: &[(PathBuf, Vec<u8>)],
    overwrite: Overwrite,
) -> Result<Vec<PathBuf>, WriteError> {
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes, overwrite))
        .collect::<Result<Vec<_>, _>>()?;
    commit_all(staged).map(|done| done.into_iter().map(Committed::keep).collect())
}

/// Moves staged files into place, all or nothing.
pub fn commit_all(staged: Vec<Staged>) -> Result<Vec<Committed>, WriteError> {
    let mut done: Vec<Committed> = Vec::new();
    for file in staged {
        match file.commit() {
            Ok(committed) => done.push(committed),
            Err(error) => {
                done.into_iter().for_each(Committed::undo);
                return Err(error);
            }
        }
    }
    Ok(done)
}

/// Writes `bytes` to a temporary file beside `path`, checking the target first.
pub fn stage(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<Staged, WriteError> {
    check_target(path, overwrite)?;
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(WriteError::NoFolder(folder.to_path_buf()));
    }
    sweep_stale_temporary_files(folder);
    let (temp, file) = create_temp(folder, path)?;
    let mut staged = Staged {
        temp: Some(temp.clone()),
        _held: file,
        target: path.to_path_buf(),
        overwrite,
    };
    let file = &mut staged._held;
    file.lock()
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all())
        .map_err(|e| WriteError::io(path, e))?;
    Ok(staged)
}

impl Staged {
    /// The path the file will have (before [`Overwrite::NewName`] picks a free one).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the file into place.
    pub fn commit(mut self) -> Result<Committed, WriteError> {
        let temp = self
            .temp
            .take()
            .expect("a staged file has its temporary file");
        let mut replaced = None;
        let result = match self.overwrite {
            Overwrite::Replace => check_target(&self.target, Overwrite::Replace)
                .and_then(|()| {
                    replaced = keep_a_copy(&self.target)?;
                    fs::rename(&temp, &self.target).map_err(|e| WriteError::io(&self.target, e))
                })
                .map(|()| self.target.clone()),
            Overwrite::Never => link_into_place(&temp, &self.target).map(|()| self.target.clone()),
            Overwrite::NewName => link_to_free_name(&temp, &self.target),
        };
        let _ = fs::remove_file(&temp);
        let path = match result {
            Ok(path) => path,
            Err(error) => {
                if let Some((backup, _held)) = replaced {
                    let _ = fs::remove_file(backup);
                }
                return Err(error);
            }
        };
        sync_folder(folder_of(&path));
        Ok(Committed { path, replaced })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

/// A second name for the file about to be replaced (a hard link under a hidden
/// temporary name, locked), so the replacement can be taken back. `None` when there is
/// nothing there yet.
fn keep_a_copy(target: &Path) -> Result<Option<(PathBuf, File)>, WriteError> {
    if fs::symlink_metadata(target).is_err() {
        return Ok(None);
    }
    let (backup, held) = create_temp(folder_of(target), target)?;
    drop(held);
    // The new temporary name is taken for the link: remove it, then link the original.
    fs::remove_file(&backup)
        .and_then(|()| fs::hard_link(target, &backup))
        .map_err(|e| WriteError::io(target, e))?;
    let held = File::open(&backup).map_err(|e| WriteError::io(target, e))?;
    held.lock().map_err(|e| WriteError::io(target, e))?;
    Ok(Some((backup, held)))
}

/// How old a temporary file must be before a sweep looks at it: a write creates and
/// locks its file within microseconds, so a younger one may be a write just starting.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether a file name is one of our temporary files: `.NAME.<16 hex digits>.tmp`.
fn is_our_temporary_name(name: &str) -> bool {
    let Some(inner) = name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_suffix(".tmp"))
    else {
        return false;
    };
    match inner.rsplit_once('.') {
        Some((stem, hex)) => {
            !stem.is_empty() && hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// Removes the temporary files of ours in `folder` that a killed write left behind: a
/// regular file (never a link) with our temporary name, owned by this user, at least a
/// moment old, that no running write holds locked. Returns how many were removed. Best
/// effort: a folder that cannot be read is left alone.
pub fn sweep_stale_temporary_files(folder: &Path) -> usize {
    let Ok(entries) = fs::read_dir(folder) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| is_our_temporary_name(&entry.file_name().to_string_lossy()))
        .filter(|entry| is_stale(&entry.path()))
        .filter(|entry| fs::remove_file(entry.path()).is_ok())
        .count()
}

fn is_stale(path: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    let old_enough = meta
        .modified()
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|age| age >= STALE_AFTER);
    #[cfg(unix)]
    let ours = {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        meta.uid() == unsafe { libc::geteuid() }
    };
    #[cfg(not(unix))]
    let ours = true;
    if !meta.is_file() || !ours || !old_enough {
        return false;
    }
    // A write in progress holds its file locked; a killed one's lock went with it.
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).is_ok_and(|file| file.try_lock().is_ok())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn check_target(path: &Path, overwrite: Overwrite) -> Result<(), WriteError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Link(path.to_path_buf())),
        Ok(_) if overwrite == Overwrite::Never => Err(WriteError::Exists(path.to_path_buf())),
        Ok(meta) if overwrite == Overwrite::Replace && !meta.is_file() => {
            Err(WriteError::NotAFile(path.to_path_buf()))
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::io(path, e)),
    }
}

/// A new, owner-only file with a name no one else has, in `folder`.
fn create_temp(folder: &Path, target: &Path) -> Result<(PathBuf, File), WriteError> {
    let stem = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for attempt in 0..100u32 {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| WriteError::io(target, io::Error::other(e)))?;
        let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let temp = folder.join(format!(".{stem}.{suffix}.tmp"));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        // `create_new` is O_CREAT | O_EXCL: it never opens an existing file or link.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 99 => continue,
            Err(e) => return Err(WriteError::io(target, e)),
        }
    }
    Err(WriteError::io(
        target,
        io::Error::other("no free temporary name"),
    ))
}

/// Puts `temp` at `target` unless something is already there (a hard link cannot
/// replace an existing name, so this cannot overwrite even in a race).
fn link_into_place(temp: &Path, target: &Path) -> Result<(), WriteError> {
    fs::hard_link(temp, target).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            match fs::symlink_metadata(target) {
                Ok(meta) if meta.file_type().is_symlink() => WriteError::Link(target.to_path_buf()),
                _ => WriteError::Exists(target.to_path_buf()),
            }
        } else {
            WriteError::io(target, e)
        }
    })
}

fn link_to_free_name(temp: &Path, target: &Path) -> Result<PathBuf, WriteError> {
    for n in 1..10_000u32 {
        let candidate = if n == 1 {
            target.to_path_buf()
        } else {
            numbered(target, n)
        };
        match link_into_place(temp, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(WriteError::Exists(_) | WriteError::Link(_)) => continue,
            Err(other) => return Err(other),
        }
    }
    Err(WriteError::Exists(target.to_path_buf()))
}

/// `letter.pdf` -> `letter-2.pdf`.
pub fn numbered(path: &Path, n: u32) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

/// Makes the new name itself durable. Best effort: some file systems refuse it.
fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_new_file_is_owner_only_and_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.pdf");
        let written = write_private(&path, b"%PDF-1.7", Overwrite::Never).unwrap();
        assert_eq!(written, path);
        assert_eq!(fs::read(&path).unwrap(), b"%PDF-1.7");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn an_existing_file_is_never_overwritten_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.pdf");
        fs::write(&path, b"old").unwrap();
        assert!(matches!(
            write_private(&path, b"new", Overwrite::Never),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(fs::read(&path).unwrap(), b"old");
        write_private(&path, b"new", Overwrite::Replace).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn new_name_counts_up_instead_of_colliding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sar-home-office-2026-12-01.pdf");
        let first = write_private(&path, b"1", Overwrite::NewName).unwrap();
        let second = write_private(&path, b"2", Overwrite::NewName).unwrap();
        let third = write_private(&path, b"3", Overwrite::NewName).unwrap();
        assert_eq!(first, path);
        assert_eq!(second, dir.path().join("sar-home-office-2026-12-01-2.pdf"));
        assert_eq!(third, dir.path().join("sar-home-office-2026-12-01-3.pdf"));
        assert_eq!(fs::read(&second).unwrap(), b"2");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.txt");
        fs::write(&elsewhere, b"precious").unwrap();
        let link = dir.path().join("letter.pdf");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        for overwrite in [Overwrite::Never, Overwrite::Replace] {
            assert!(matches!(
                write_private(&link, b"letter", overwrite),
                Err(WriteError::Link(_))
            ));
        }
        assert_eq!(fs::read(&elsewhere).unwrap(), b"precious");
        let dangling = dir.path().join("dangling.pdf");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(write_private(&dangling, b"x", Overwrite::Replace).is_err());
        assert!(!dir.path().join("nowhere").exists());
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_staged_file_that_is_dropped_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.pdf");
        let staged = stage(&path, b"data", Overwrite::Never).unwrap();
        assert_eq!(leftovers(dir.path()).len(), 1);
        drop(staged);
        assert!(leftovers(dir.path()).is_empty());
        assert!(!path.exists());
    }

    #[test]
    fn a_set_is_written_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.pdf");
        let b = dir.path().join("b.pdf");
        fs::write(&b, b"already here").unwrap();
        let set = vec![(a.clone(), b"a".to_vec()), (b.clone(), b"b".to_vec())];
        assert!(matches!(
            write_all_private(&set, Overwrite::Never),
            Err(WriteError::Exists(_))
        ));
        assert!(!a.exists(), "nothing of a failed set is left");
        assert_eq!(fs::read(&b).unwrap(), b"already here");
        let written = write_all_private(&set, Overwrite::NewName).unwrap();
        assert_eq!(written, vec![a.clone(), dir.path().join("b-2.pdf")]);
        assert!(leftovers(dir.path()).is_empty());
    }

    /// A temporary file as a killed write leaves it: complete, hidden, not locked.
    fn plant_stale(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, b"%PDF-1.7 Ann Example").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        path
    }

    #[test]
    fn a_write_sweeps_what_a_killed_write_left_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let stale = plant_stale(dir.path(), ".out13.pdf.05ced6ca5f43c479.tmp");
        let not_ours = plant_stale(dir.path(), ".notes.tmp");
        let someone_elses = plant_stale(dir.path(), ".out.pdf.zzzzzzzzzzzzzzzz.tmp");
        // A write under way in another process: its temporary file is locked.
        let busy = plant_stale(dir.path(), ".busy.pdf.0123456789abcdef.tmp");
        let held = File::open(&busy).unwrap();
        held.lock().unwrap();
        write_private(&dir.path().join("letter.pdf"), b"x", Overwrite::Never).unwrap();
        assert!(!stale.exists(), "the killed write's letter was left");
        assert!(not_ours.exists() && someone_elses.exists());
        assert!(busy.exists(), "a write under way lost its file");
        drop(held);
        assert_eq!(sweep_stale_temporary_files(dir.path()), 1);
        assert!(!busy.exists());
    }

    #[test]
    fn a_replacement_taken_back_leaves_the_file_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chaser.pdf");
        fs::write(&path, b"the letter sent in May").unwrap();
        let staged = stage(&path, b"a new letter", Overwrite::Replace).unwrap();
        let committed = commit_all(vec![staged]).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a new letter");
        // The store's commit failed: the work is taken back.
        committed.into_iter().for_each(Committed::undo);
        assert_eq!(fs::read(&path).unwrap(), b"the letter sent in May");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
        // Kept: the new letter stays and no hidden copy is left.
        let staged = stage(&path, b"a new letter", Overwrite::Replace).unwrap();
        let kept: Vec<PathBuf> = commit_all(vec![staged])
            .unwrap()
            .into_iter()
            .map(Committed::keep)
            .collect();
        assert_eq!(kept, vec![path.clone()]);
        assert_eq!(fs::read(&path).unwrap(), b"a new letter");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_missing_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-folder").join("letter.pdf");
        let error = write_private(&path, b"x", Overwrite::Never).unwrap_err();
        assert!(matches!(error, WriteError::NoFolder(_)));
        assert!(error.to_string().contains("no-such-folder"));
    }
}

use chrono::NaiveDate;

use super::*;

pub(crate) fn sample(language: Language, title: &str, advice: &str, steps: &[&str]) -> Handout {
    let english = Language::left_to_right("en-GB");
    Handout {
        title: "Your notes from today".into(),
        author: "Test Law Centre".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default(),
        language: language.clone(),
        parts: vec![
            Part {
                language,
                blocks: vec![
                    Block::Title(title.into()),
                    Block::Paragraph(advice.into()),
                    Block::List(steps.iter().map(|s| (*s).to_string()).collect()),
                ],
            },
            Part {
                language: english,
                blocks: vec![
                    Block::Title("Your notes from today".into()),
                    Block::Paragraph("Call 111 or see a GP. The English is what counts.".into()),
                ],
            },
        ],
    }
}

#[test]
fn renders_arabic_ethiopic_and_vietnamese() {
    let cases = [
        (
            Language::right_to_left("ar"),
            "ملاحظاتك من اليوم",
            "لا يحق لعيادة الطبيب العام (GP) أن تطلب منك أوراق الهجرة. اتصل بالرقم 111 إذا احتجت إلى مساعدة عاجلة. السلام عليكم.",
        ),
        (
            Language::left_to_right("ti"),
            "ናይ ሎሚ መዘኻኸሪታትካ",
            "ክሊኒክ ሓኪም (GP) ወረቐት ኢሚግሬሽን ክሓተካ መሰል የብሉን። ህጹጽ ሓገዝ እንተ ደሊኻ ናብ 111 ደውል።",
        ),
        (
            Language::left_to_right("vi"),
            "Ghi chú của bạn hôm nay",
            "Phòng khám bác sĩ (GP) không được yêu cầu bạn xuất trình giấy tờ nhập cư. Hãy gọi 111 nếu bạn cần giúp đỡ khẩn cấp.",
        ),
    ];
    for (language, title, advice) in cases {
        let tag = language.tag.clone();
        let handout = sample(language, title, advice, &["خطوة أولى", "Step two 2026"]);
        let pdf = render_handout(&handout).expect("renders");
        assert!(pdf.starts_with(b"%PDF-1.7"));
        if let Ok(dir) = std::env::var("HANDOUT_SAMPLES") {
            std::fs::write(format!("{dir}/{tag}.pdf"), &pdf).expect("writes");
        }
    }
}

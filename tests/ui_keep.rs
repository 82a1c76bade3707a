//! Keeping and passing on (issue 16): S saves the open article to a new file in the save folder,
//! | hands its text to the pipe command, through the real loop.

mod ui_support;

use tidings::render::export::ExportFormat;
use tidings::ui::keep::Keeping;
use ui_support::fixture;

#[test]
fn s_saves_the_open_article_as_markdown_and_never_over_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(160, 48);
    f.reader.actions_mut().set_keeping(Keeping { save_dir: dir.path().join("kept"), pipe: None });
    f.keys(&["S"]);
    assert_eq!(f.app.status.message.as_deref(), Some("Open an article to save it"));
    f.keys(&["enter"]);
    let title = f.article_title().expect("an article is open");
    f.keys(&["S", "S"]);
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("kept"))
        .expect("the folder is made")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort_by_key(|name| name.len());
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(files[1], files[0].replace(".md", "-2.md"), "the second save takes a new name");
    let text = std::fs::read_to_string(dir.path().join("kept").join(&files[0])).expect("saved");
    assert!(text.starts_with(&format!("# {title}\n\n*Tech Wire · Ada Reporter · ")), "{text}");
    assert!(f.app.status.message.as_deref().is_some_and(|m| m.starts_with("Saved to ")), "{:?}", f.app.status);
}

#[test]
fn s_saves_text_when_asked_and_the_pipe_gets_the_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("piped.txt");
    let mut f = fixture(160, 48);
    f.reader.app.keep_format = ExportFormat::Text;
    let words = vec!["dd".to_string(), format!("of={}", out.display()), "status=none".to_string()];
    f.reader.actions_mut().set_keeping(Keeping { save_dir: dir.path().to_path_buf(), pipe: Some(Ok(words)) });
    f.keys(&["enter", "|"]);
    let title = f.article_title().expect("an article is open");
    assert_eq!(f.app.status.message.as_deref(), Some("Piped the article to dd"));
    let piped = std::fs::read_to_string(&out).expect("piped");
    assert!(piped.starts_with(&format!("{title}\n===")), "{piped}");
    f.keys(&["S"]);
    let saved: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").filter_map(Result::ok).collect();
    assert!(saved.iter().any(|e| e.file_name().to_string_lossy().ends_with(".txt") && e.path() != out), "{saved:?}");

    f.reader.actions_mut().set_keeping(Keeping { save_dir: dir.path().to_path_buf(), pipe: None });
    f.keys(&["|"]);
    assert_eq!(f.app.status.message.as_deref(), Some("No pipe command: set [ui] pipe in the config"));
}

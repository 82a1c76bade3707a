use std::path::PathBuf;

/// Why a config file could not be used. Every message names the file, and where the problem is
/// inside it, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{origin}:{line}:{column}: {message}")]
    Invalid { origin: String, line: usize, column: usize, message: String },
    /// More than one [`ConfigError::Invalid`], in the order of the file: validation reports them
    /// all at once.
    #[error("{}", list_errors(.0))]
    Several(Vec<ConfigError>),
}

fn list_errors(errors: &[ConfigError]) -> String {
    let mut out = format!("{} errors:", errors.len());
    for error in errors {
        out.push('\n');
        out.push_str(&error.to_string());
    }
    out
}

impl ConfigError {
    /// Builds an [`ConfigError::Invalid`] for the byte offset `offset` of `text`.
    pub fn at(origin: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_and_column(text, offset);
        ConfigError::Invalid { origin: origin.to_string(), line, column, message: message.into() }
    }

    /// `Ok` when `errors` is empty, else the one error or all of them ([`ConfigError::Several`]),
    /// sorted by line and column.
    pub fn collect(mut errors: Vec<ConfigError>) -> Result<(), ConfigError> {
        errors.sort_by_key(|e| match e {
            ConfigError::Invalid { line, column, .. } => (*line, *column),
            _ => (0, 0),
        });
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(ConfigError::Several(errors)),
        }
    }
}

/// One-based line and column (in characters) of a byte offset.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Rewrites serde's "invalid type: string \"x\", expected a sequence" for the field `field` as a
/// sentence that names the field and the shape it must have, with an example of the right form
/// when the expected shape carries one (", like [\"news\"]"). `None` when `message` is not an
/// invalid-type message.
pub fn type_error_message(field: &str, message: &str) -> Option<String> {
    let rest = message.strip_prefix("invalid type: ")?;
    let split = rest.rfind(", expected ")?;
    let (found, expected) = (&rest[..split], &rest[split + ", expected ".len()..]);
    let (shape, example) = match expected {
        "a sequence" => ("a list", None),
        "a map" => ("a table", None),
        "a boolean" => ("true or false", Some("true")),
        "a string" => ("a string in quotes", None),
        other => match other.split_once(", like ") {
            Some((shape, example)) => (shape, Some(example)),
            None => (other, None),
        },
    };
    let found_text = describe_found(found);
    let mut out = format!("`{field}` must be {shape}");
    if let Some(example) = example {
        out.push_str(&format!(", like {field} = {example}"));
    }
    out.push_str(&format!(" (found {found_text}"));
    if found == "map" && expected == "a sequence" {
        out.push_str(&format!("; write each one as [[{field}]]"));
    }
    out.push(')');
    Some(out)
}

/// serde's name of what was found ("string \"x\"", "integer `3`", "map") in words.
fn describe_found(found: &str) -> String {
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the string {s}");
    }
    for prefix in ["integer ", "floating point "] {
        if let Some(n) = found.strip_prefix(prefix) {
            return format!("the number {}", n.trim_matches('`'));
        }
    }
    if let Some(b) = found.strip_prefix("boolean ") {
        return b.trim_matches('`').to_string();
    }
    match found {
        "map" => "a table".into(),
        "sequence" => "a list".into(),
        other => other.to_string(),
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::{ConfigError, line_and_column, type_error_message};

    #[test]
    fn collected_errors_come_in_file_order() {
        let text = "a\nb\nc\n";
        assert!(ConfigError::collect(Vec::new()).is_ok());
        let one = ConfigError::collect(vec![ConfigError::at("f", text, 2, "b")]).expect_err("one");
        assert_eq!(one.to_string(), "f:2:1: b");
        let many = ConfigError::collect(vec![ConfigError::at("f", text, 4, "c"), ConfigError::at("f", text, 0, "a")])
            .expect_err("two");
        assert!(matches!(&many, ConfigError::Several(errors) if errors.len() == 2), "{many:?}");
        assert_eq!(many.to_string(), "2 errors:\nf:1:1: a\nf:3:1: c");
    }

    #[test]
    fn type_errors_name_the_field_and_the_shape() {
        assert_eq!(
            type_error_message("tags", "invalid type: string \"news\", expected a list of strings, like [\"news\"]")
                .as_deref(),
            Some("`tags` must be a list of strings, like tags = [\"news\"] (found the string \"news\")")
        );
        assert_eq!(
            type_error_message("enabled", "invalid type: integer `1`, expected a boolean").as_deref(),
            Some("`enabled` must be true or false, like enabled = true (found the number 1)")
        );
        assert_eq!(
            type_error_message("feed", "invalid type: map, expected a sequence").as_deref(),
            Some("`feed` must be a list (found a table; write each one as [[feed]])")
        );
        assert_eq!(
            type_error_message("name", "invalid type: sequence, expected a string").as_deref(),
            Some("`name` must be a string in quotes (found a list)")
        );
        assert_eq!(type_error_message("x", "unknown field `y`"), None);
    }

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 6), (2, 1));
        assert_eq!(line_and_column(text, 11), (2, 5));
    }
}

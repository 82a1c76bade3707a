//! HTML as the cache keeps it: feed texts and articles are most of a cache's bytes, and LZ4
//! halves them (1.9 times on the feed corpus) at a few hundred MB/s with a state small enough to
//! set up for every text (deflate compresses 2.6 times but spent more setting up its tables for
//! each short text than on the whole poll). A text worth compressing is stored as a BLOB (its
//! length, then the LZ4 block), anything else as TEXT; readers take either, so caches written
//! before compression read as they are.

use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, Value, ValueRef};

/// Texts shorter than this stay as they are: deflate saves little on them.
const PACK_FROM: usize = 200;
/// An unpacked text is never allowed to grow past this (a damaged cache cannot exhaust memory).
const MAX_UNPACKED: usize = 64 << 20;

/// HTML on its way into the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Packed(Value);

impl Packed {
    pub fn new(html: Option<&str>) -> Packed {
        let Some(html) = html else { return Packed(Value::Null) };
        if html.len() >= PACK_FROM && html.len() <= MAX_UNPACKED {
            let bytes = lz4_flex::compress_prepend_size(html.as_bytes());
            if bytes.len() + bytes.len() / 8 < html.len() {
                return Packed(Value::Blob(bytes));
            }
        }
        Packed(Value::Text(html.to_string()))
    }

    /// Whether a stored value holds this text (the same input always packs the same).
    pub fn matches(&self, stored: &Value) -> bool {
        &self.0 == stored
    }
}

impl rusqlite::ToSql for Packed {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::from(&self.0)))
    }
}

/// HTML read from the cache, packed or not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Html(pub Option<String>);

impl FromSql for Html {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(Html(match value {
            ValueRef::Null => None,
            ValueRef::Text(text) => Some(String::from_utf8_lossy(text).into_owned()),
            ValueRef::Blob(bytes) => Some(unpack(bytes)),
            ValueRef::Integer(n) => Some(n.to_string()),
            ValueRef::Real(x) => Some(x.to_string()),
        }))
    }
}

fn unpack(bytes: &[u8]) -> String {
    let size = bytes.get(..4).map_or(usize::MAX, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize);
    let text = if size <= MAX_UNPACKED {
        lz4_flex::decompress_size_prepended(bytes)
            .map_err(|e| e.to_string())
            .and_then(|raw| String::from_utf8(raw).map_err(|e| e.to_string()))
    } else {
        Err(format!("it claims {size} bytes"))
    };
    text.unwrap_or_else(|e| {
        tracing::warn!("a text in the cache cannot be read: {e}");
        "<p>(This text could not be read from the cache.)</p>".to_string()
    })
}

/// Registers `unpacked(html)` on `conn`: the HTML as text whether it is stored packed or not,
/// for SQL that reads it (a search's `LIKE` on the text as written).
pub(super) fn register_unpacked(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "unpacked",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Html>(0)?.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(html: Option<&str>) -> Option<String> {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute("CREATE TABLE t (v)", []).unwrap();
        conn.execute("INSERT INTO t VALUES (?1)", [Packed::new(html)]).unwrap();
        conn.query_row("SELECT v FROM t", [], |r| r.get::<_, Html>(0)).unwrap().0
    }

    #[test]
    fn long_html_is_packed_and_reads_back_the_same() {
        let html = "<p>The harbour council voted on Tuesday to rebuild the breakwater.</p>".repeat(20);
        let packed = Packed::new(Some(&html));
        assert!(matches!(&packed.0, Value::Blob(b) if b.len() * 3 < html.len()), "{packed:?}");
        assert_eq!(round_trip(Some(&html)), Some(html.clone()));
        assert!(packed.matches(&Packed::new(Some(&html)).0), "packing is deterministic");
    }

    #[test]
    fn short_html_stays_text_and_none_stays_null() {
        assert_eq!(Packed::new(Some("<p>Short.</p>")).0, Value::Text("<p>Short.</p>".into()));
        assert_eq!(round_trip(Some("<p>Short.</p>")).as_deref(), Some("<p>Short.</p>"));
        assert_eq!(round_trip(None), None);
    }

    #[test]
    fn a_damaged_blob_reads_as_a_notice_not_an_error() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for damaged in ["x'00ff00ff13'", "x'ffffff7f00'", "x'01'"] {
            let html: Html = conn.query_row(&format!("SELECT {damaged}"), [], |r| r.get(0)).unwrap();
            assert!(html.0.unwrap().contains("could not be read"), "{damaged}");
        }
    }
}

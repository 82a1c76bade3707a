//! A fast, non-cryptographic hasher for the index's own maps (terms to ids, article ids to slots).
//! The keys are words and ids the index holds itself, looked up once per term of every article
//! indexed, so the standard library's SipHash (built to resist flooding by chosen keys) was a
//! tenth of the indexing time. This is the multiply-rotate hash of rustc's `FxHasher`, eight bytes
//! at a time: a crafted feed could at worst make its own lookups slower, never wrong.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// rustc's Fx hash: `h = (h.rotate_left(5) ^ word) × K` per 8-byte word.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_with_it_finds_what_it_holds() {
        let mut map: FastMap<Box<str>, u32> = FastMap::default();
        let words = ["", "a", "ferry", "ferrystrike", "calais_port_strike", "zürich"];
        for (i, w) in words.iter().enumerate() {
            map.insert(Box::from(*w), i as u32);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(map.get(*w), Some(&(i as u32)), "{w}");
        }
        assert_eq!(map.get("ferr"), None);
        let mut ids: FastMap<i64, u32> = FastMap::default();
        ids.extend((0..1000).map(|i| (i * 7_919, i as u32)));
        assert!((0..1000).all(|i| ids[&(i * 7_919)] == i as u32));
    }
}

//! A fixed, seeded, platform-independent hash for feature buckets.
//!
//! FNV-1a (64 bit) over bytes, finished with murmur3's 64-bit finaliser so
//! that the top bits (which pick the bucket) are well mixed. Never depends
//! on std's `RandomState`, so buckets are the same in every run and on every
//! platform: models stay valid.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
/// Mixed into the start state so referee's buckets differ from plain FNV.
const SEED: u64 = 0x7265_6665_7265_6531; // "referee1"

/// Incremental FNV-1a state.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv(u64);

impl Fnv {
    /// A fresh state, already fed with the namespace byte.
    #[inline]
    pub(crate) fn new(namespace: u8) -> Self {
        Fnv(FNV_OFFSET ^ SEED).byte(namespace)
    }

    #[inline]
    pub(crate) fn byte(self, b: u8) -> Self {
        Fnv((self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME))
    }

    #[inline]
    pub(crate) fn bytes(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self = self.byte(b);
        }
        self
    }

    #[inline]
    pub(crate) fn u64(self, v: u64) -> Self {
        self.bytes(&v.to_le_bytes())
    }

    /// The raw state, for use as a token id.
    #[inline]
    pub(crate) fn finish(self) -> u64 {
        self.0
    }

    /// The bucket in `0..2^bits`.
    #[inline]
    pub(crate) fn bucket(self, bits: u32) -> u32 {
        (fmix64(self.0) >> (64 - bits)) as u32
    }
}

/// murmur3's 64-bit finaliser.
#[inline]
fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

/// A fast `Hasher` for in-memory maps of short strings (the stem cache):
/// eight bytes at a time, each chunk fully mixed into the state, so words
/// that differ only in their eighth and ninth bytes ("organised",
/// "organisms") do not collide as they do under a rotate-xor-multiply
/// step. The stem cache trusts equal hashes to be equal words. Not used for
/// buckets, so it may change freely.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = fmix64(self.0 ^ word);
    }
}

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("chunk of 8")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_values() {
        // These values are part of every trained model: changing them
        // silently invalidates shipped models.
        assert_eq!(
            Fnv::new(b'w').bytes(b"idiot").finish(),
            8_144_301_241_547_002_716
        );
        assert_eq!(Fnv::new(b'w').bytes(b"idiot").bucket(18), 85_443);
    }

    #[test]
    fn fast_hasher_separates_words_sharing_their_first_seven_bytes() {
        use std::hash::Hasher;
        let hash = |word: &str| {
            let mut h = FastHasher::default();
            h.write(word.as_bytes());
            h.finish() | 1
        };
        assert_ne!(hash("organised"), hash("organisms"));
        assert_ne!(hash("government"), hash("governing"));
    }

    #[test]
    fn namespace_separates() {
        let a = Fnv::new(b'w').bytes(b"idiot").finish();
        let b = Fnv::new(b'q').bytes(b"idiot").finish();
        assert_ne!(a, b);
    }
}

//! Seeded ids: the unknown ids probes send, the same for the same `--seed`.

/// Deterministic version-4 UUIDs from a seed (splitmix64), so a run's
/// unknown ids are the same every time unless `--seed` changes.
pub(super) struct Ids(u64);

impl Ids {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn next_uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_be_bytes());
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }
}

/// The run id workflows get (`runId`): twelve hex digits from the seed, on
/// a stream of its own so it is none of the probes' ids.
pub(crate) fn run_id(seed: u64) -> String {
    let mut ids = Ids::new(seed ^ 0x5275_6e49_6400_0000);
    format!("{:012x}", ids.next_u64() >> 16)
}

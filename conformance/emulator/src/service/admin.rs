//! The four administration resources answered alike: one generic upsert,
//! get, list and delete over [`Admin`].

use super::{Answer, Exchange};
use crate::state::admin::Admin;
use crate::state::store::{Preconditions, page};

impl Exchange<'_> {
    pub(super) fn upsert_resource<T: Admin>(
        &self,
        api_version: &str,
        id: &str,
        preconditions: Preconditions,
    ) -> Answer<T> {
        let patch = self.patch();
        let (stored, created) = self.run(api_version, |state, now| {
            state.upsert_admin::<T>(id, &patch, &preconditions, now)
        })?;
        self.describe(created, stored.resource.etag(), stored.last_modified);
        Ok(stored.resource)
    }

    pub(super) fn get_resource<T: Admin>(&self, api_version: &str, id: &str) -> Answer<T> {
        let stored = self.run(api_version, |state, _| state.get_admin::<T>(id))?;
        self.describe(false, stored.resource.etag(), stored.last_modified);
        Ok(stored.resource)
    }

    /// One page of the resources, and the link to the next.
    pub(super) fn list_resources<T: Admin>(
        &self,
        api_version: &str,
        path: &str,
        size: Option<i32>,
    ) -> Answer<(Vec<T>, Option<String>)> {
        self.run(api_version, |state, _| {
            let start = self.continuation()?;
            let (items, next) = page(&state.list_admin::<T>(), start, size);
            Ok((items, self.next_link(path, next)))
        })
    }

    pub(super) fn delete_resource<T: Admin>(&self, api_version: &str, id: &str) -> Answer<()> {
        self.run(api_version, |state, _| state.delete_admin::<T>(id))
    }
}

//! The four administration resources answered alike: one generic upsert,
//! get, list and delete over [`Admin`].

use serde_json::Value;

use super::{Answer, Exchange, Versioned};
use crate::state::admin::Admin;
use crate::state::store::{Preconditions, Stored, page};

impl Exchange<'_> {
    pub(super) fn upsert_resource<T: Admin>(
        &self,
        api_version: &str,
        id: &str,
        patch: &Value,
        preconditions: Preconditions,
    ) -> Answer<Versioned<T>> {
        let (stored, created) = self.run(api_version, |state, now| {
            state.upsert_admin::<T>(id, patch, &preconditions, now)
        })?;
        Ok(Versioned::of(stored, created))
    }

    pub(super) fn get_resource<T: Admin>(
        &self,
        api_version: &str,
        id: &str,
    ) -> Answer<Versioned<T>> {
        let stored = self.run(api_version, |state, _| state.get_admin::<T>(id))?;
        Ok(Versioned::of(stored, false))
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

impl<T: Admin> Versioned<T> {
    fn of(stored: Stored<T>, created: bool) -> Self {
        Self {
            etag: stored.resource.etag().to_owned(),
            last_modified: stored.last_modified,
            body: stored.resource,
            created,
        }
    }
}

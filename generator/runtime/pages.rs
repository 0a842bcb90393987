//! The items of a pageable operation (Azure's `x-ms-pageable`), fetched a
//! page at a time by following each page's next link.

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::{Error, ErrorBody, Pipeline, Request};

/// Splits a page into its items and the link to the next page.
pub type SplitPage<P, T> = fn(P) -> (Vec<T>, Option<String>);

/// Every item of every page, in order: `while let Some(item) =
/// pages.next().await`, or as a `futures` stream with `into_stream`. A
/// failed page is one `Err` item, after which the pages end.
#[derive(Debug)]
pub struct Pages<P, T, E> {
    pipeline: Pipeline,
    operation: &'static str,
    /// The request for the next page, or why it could not be built.
    next: Option<Result<Request, Error<E>>>,
    /// The URL of the page last asked for, to stop a link that loops.
    last: Option<Url>,
    items: std::vec::IntoIter<T>,
    split: SplitPage<P, T>,
}

impl<P: DeserializeOwned, T, E: ErrorBody> Pages<P, T, E> {
    /// Pages starting with `first` (the operation's own request).
    pub fn new(
        pipeline: Pipeline,
        operation: &'static str,
        first: Result<Request, Error<E>>,
        split: SplitPage<P, T>,
    ) -> Self {
        Self {
            pipeline,
            operation,
            next: Some(first),
            last: None,
            items: Vec::new().into_iter(),
            split,
        }
    }

    /// The next item, fetching the next page when this one is used up;
    /// `None` after the last page.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            let request = match self.next.take()? {
                Ok(request) => request,
                Err(error) => return Some(Err(error)),
            };
            self.last = Some(request.url.clone());
            let page = match self.pipeline.send(request, self.operation).await {
                Ok(response) if (200..300).contains(&response.status()) => response.json::<P, E>(),
                Ok(response) => Err(response.into_error()),
                Err(error) => Err(error),
            };
            let (items, next_link) = match page {
                Ok(page) => (self.split)(page),
                Err(error) => return Some(Err(error)),
            };
            self.items = items.into_iter();
            self.next = next_link
                .filter(|link| !link.is_empty())
                .map(|link| self.follow(&link));
        }
    }

    /// These items as a `futures` stream.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<T, Error<E>>> {
        futures_util::stream::unfold(self, |mut pages| async move {
            let item = pages.next().await?;
            Some((item, pages))
        })
    }

    /// A GET of `link` (absolute, or relative to the endpoint); refused when
    /// it leads to another origin, or back to the page just read, which
    /// would never end.
    fn follow(&self, link: &str) -> Result<Request, Error<E>> {
        let url = self
            .pipeline
            .endpoint()
            .join(link)
            .map_err(|e| Error::InvalidArgument {
                name: "nextLink",
                reason: format!("the next page's link `{link}` is not a URL: {e}"),
            })?;
        // The pipeline signs every request: a link elsewhere would hand the
        // signature (or the bearer token) to whoever wrote the page.
        if url.origin() != self.pipeline.endpoint().origin() {
            return Err(Error::InvalidArgument {
                name: "nextLink",
                reason: format!(
                    "the next page's link `{link}` leads to another origin than the endpoint; \
                     it is not followed"
                ),
            });
        }
        if self.last.as_ref() == Some(&url) {
            return Err(Error::InvalidArgument {
                name: "nextLink",
                reason: format!("the next page's link `{link}` is the page just read"),
            });
        }
        Ok(Request::new(Method::GET, url))
    }
}

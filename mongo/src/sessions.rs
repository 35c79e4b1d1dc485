//! Signed-in sessions in the `sessions` collection (`_id` = the digest).

use mongodb::Collection;
use mongodb::bson::{Document, doc};

use super::docs::{corrupt, int};
use super::{is_duplicate, store_err};
use spares_core::session::SessionRecord;
use spares_core::store::StoreError;

fn to_doc(s: &SessionRecord) -> Document {
    doc! {
        "_id": &s.id,
        "user": &s.user,
        "credential": &s.credential,
        "created_at": s.created_at,
        "last_seen": s.last_seen,
        "expires_at": s.expires_at,
    }
}

fn from_doc(d: &Document) -> Result<SessionRecord, StoreError> {
    let text = |k: &str| {
        d.get_str(k)
            .map(str::to_owned)
            .map_err(|_| corrupt(format!("session without {k}")))
    };
    Ok(SessionRecord {
        id: text("_id")?,
        user: text("user")?,
        credential: text("credential")?,
        created_at: int(d, "created_at")?,
        last_seen: int(d, "last_seen")?,
        expires_at: int(d, "expires_at")?,
    })
}

pub(super) async fn create(
    coll: Collection<Document>,
    s: &SessionRecord,
) -> Result<(), StoreError> {
    coll.delete_many(doc! { "expires_at": { "$lte": s.created_at } })
        .await
        .map_err(store_err)?;
    coll.insert_one(to_doc(s)).await.map_err(|e| {
        if is_duplicate(&e) {
            StoreError::Conflict("that session exists already".into())
        } else {
            store_err(e)
        }
    })?;
    Ok(())
}

pub(super) async fn get(
    coll: Collection<Document>,
    id: &str,
) -> Result<Option<SessionRecord>, StoreError> {
    coll.find_one(doc! { "_id": id })
        .await
        .map_err(store_err)?
        .as_ref()
        .map(from_doc)
        .transpose()
}

pub(super) async fn touch(
    coll: Collection<Document>,
    id: &str,
    last_seen: i64,
) -> Result<(), StoreError> {
    coll.update_one(
        doc! { "_id": id },
        doc! { "$max": { "last_seen": last_seen } },
    )
    .await
    .map_err(store_err)
    .map(drop)
}

pub(super) async fn end(coll: Collection<Document>, id: &str) -> Result<(), StoreError> {
    coll.delete_one(doc! { "_id": id })
        .await
        .map_err(store_err)
        .map(drop)
}

pub(super) async fn end_all(coll: Collection<Document>) -> Result<u64, StoreError> {
    coll.delete_many(doc! {})
        .await
        .map_err(store_err)
        .map(|r| r.deleted_count)
}

//! Transactions where the server has them (replica sets), or none: the documented fallback order.

use super::*;

impl MongoStore {
    pub(crate) async fn begin(&self) -> Result<Option<ClientSession>, Fail> {
        if !self.transactions {
            return Ok(None);
        }
        let mut session = self.client.start_session().await.map_err(fail)?;
        session.start_transaction().await.map_err(fail)?;
        Ok(Some(session))
    }

    pub(crate) async fn commit(session: Option<ClientSession>) -> Result<(), Fail> {
        if let Some(mut s) = session {
            s.commit_transaction().await.map_err(fail)?;
        }
        Ok(())
    }
}

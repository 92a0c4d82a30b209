//! The records the case store keeps, as plain values: what goes in (`*Details`,
//! `NewClient`) and what comes out (with its id and timestamps).
//!
//! Dates are `chrono` values inside and `YYYY-MM-DD` text in the database and
//! in exports; timestamps are UTC, `YYYY-MM-DDTHH:MM:SSZ`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::deadline::{Clock, Pause};
use crate::calendar::holidays::Nation;

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

record_id!(
    /// A client's number in the store.
    ClientId
);
record_id!(
    /// A request's number in the store; safe to show outside it (calendar
    /// events carry it instead of the client's name).
    RequestId
);
record_id!(
    /// A recorded reply's number in the store.
    ReplyId
);
record_id!(
    /// A generated letter's number in the store.
    LetterId
);
record_id!(
    /// An advice record's number in the store.
    AdviceId
);

/// A client as given to the store: the name to search by and the client
/// details TOML of the letters module, kept as written so nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClient {
    pub display_name: String,
    pub details_toml: String,
}

/// A stored client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: ClientId,
    pub display_name: String,
    pub details_toml: String,
    #[serde(with = "timestamp")]
    pub created: DateTime<Utc>,
    #[serde(with = "timestamp")]
    pub updated: DateTime<Utc>,
}

/// Where a subject access request has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestStatus {
    Drafted,
    Sent,
    Answered,
    PartAnswered,
    Overdue,
    Complained,
    Closed,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 7] = [
        RequestStatus::Drafted,
        RequestStatus::Sent,
        RequestStatus::Answered,
        RequestStatus::PartAnswered,
        RequestStatus::Overdue,
        RequestStatus::Complained,
        RequestStatus::Closed,
    ];

    /// The statuses where the adviser is still waiting on the body, which a
    /// due dashboard shows.
    pub const AWAITING_REPLY: [RequestStatus; 4] = [
        RequestStatus::Sent,
        RequestStatus::PartAnswered,
        RequestStatus::Overdue,
        RequestStatus::Complained,
    ];

    /// The id used in the database, files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            RequestStatus::Drafted => "drafted",
            RequestStatus::Sent => "sent",
            RequestStatus::Answered => "answered",
            RequestStatus::PartAnswered => "part-answered",
            RequestStatus::Overdue => "overdue",
            RequestStatus::Complained => "complained",
            RequestStatus::Closed => "closed",
        }
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A status id that is not one of [`RequestStatus::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown request status {0:?}; expected drafted, sent, answered, part-answered, overdue, complained or closed"
)]
pub struct UnknownStatus(pub String);

impl FromStr for RequestStatus {
    type Err = UnknownStatus;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        RequestStatus::ALL
            .into_iter()
            .find(|status| status.id() == wanted)
            .ok_or_else(|| UnknownStatus(text.to_string()))
    }
}

/// A subject access request as the adviser records it. The due date is not
/// here: the store works it out from these dates (see [`Request::due`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetails {
    pub client: ClientId,
    /// An organisation id of the letters module, e.g. `home-office`.
    pub organisation: String,
    /// A letter template id, e.g. `sar-home-office`.
    pub template: String,
    /// Everything that starts, stops or moves the one-month time limit, the
    /// nation whose bank holidays count among them.
    #[serde(flatten)]
    pub clock: Clock,
    /// The reason the body gave for extending, as the adviser recorded it.
    #[serde(default)]
    pub extension_reason: Option<String>,
    pub status: RequestStatus,
    #[serde(default)]
    pub notes: String,
}

/// A clarification pause that cannot be recorded as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PauseError {
    #[error("the clock is already paused (since {0}): record the day the clarification arrived")]
    AlreadyPaused(NaiveDate),
    #[error("the clock is not paused: record the day the body asked for clarification first")]
    NotPaused,
    #[error("no clarification pause is recorded, so there is none to undo")]
    NoPause,
    #[error("the clarification cannot arrive ({answered}) before it was asked for ({asked})")]
    AnsweredBeforeAsked {
        asked: NaiveDate,
        answered: NaiveDate,
    },
}

impl RequestDetails {
    /// Stops the clock: the body asked for clarification on `asked`.
    pub fn pause_clock(&mut self, asked: NaiveDate) -> Result<(), PauseError> {
        if let Some(since) = self.clock.paused_since {
            return Err(PauseError::AlreadyPaused(since));
        }
        self.clock.paused_since = Some(asked);
        Ok(())
    }

    /// Restarts the clock: the clarification reached the body on `answered`.
    pub fn resume_clock(&mut self, answered: NaiveDate) -> Result<(), PauseError> {
        let asked = self.clock.paused_since.ok_or(PauseError::NotPaused)?;
        if answered < asked {
            return Err(PauseError::AnsweredBeforeAsked { asked, answered });
        }
        self.clock.paused_since = None;
        self.clock.pauses.push(Pause { asked, answered });
        Ok(())
    }

    /// Undoes a pause recorded in error: the open one if the clock is stopped, else
    /// the last one recorded. Returns the day it said clarification was asked for.
    pub fn withdraw_pause(&mut self) -> Result<NaiveDate, PauseError> {
        if let Some(since) = self.clock.paused_since.take() {
            return Ok(since);
        }
        let last = self
            .clock
            .pauses
            .iter()
            .enumerate()
            .max_by_key(|(_, pause)| pause.asked)
            .map(|(index, _)| index)
            .ok_or(PauseError::NoPause)?;
        Ok(self.clock.pauses.remove(last).asked)
    }

    /// A drafted request with no dates yet.
    pub fn drafted(client: ClientId, organisation: &str, template: &str, nation: Nation) -> Self {
        RequestDetails {
            client,
            organisation: organisation.to_string(),
            template: template.to_string(),
            clock: Clock::unsent(nation),
            extension_reason: None,
            status: RequestStatus::Drafted,
            notes: String::new(),
        }
    }
}

/// A stored request. `due` is worked out by
/// [`sar_due_date`](crate::calendar::deadline::sar_due_date) whenever the
/// request is saved, and is `None` until the body's date of receipt is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: RequestId,
    #[serde(flatten)]
    pub details: RequestDetails,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(with = "timestamp")]
    pub created: DateTime<Utc>,
    #[serde(with = "timestamp")]
    pub updated: DateTime<Utc>,
}

/// One of the things UK GDPR Article 15(1) entitles the person to, the
/// safeguards for a transfer outside the UK (Art 15(2)), or the copy of the
/// data itself (Art 15(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Article15Item {
    Purposes,
    Categories,
    Recipients,
    Retention,
    Source,
    AutomatedDecisions,
    RightsInformation,
    /// Art 15(1)(f): the right to complain to the ICO.
    ComplaintRight,
    /// Art 15(2): the safeguards for a transfer outside the UK.
    TransferSafeguards,
    Copy,
}

impl Article15Item {
    pub const ALL: [Article15Item; 10] = [
        Article15Item::Purposes,
        Article15Item::Categories,
        Article15Item::Recipients,
        Article15Item::Retention,
        Article15Item::Source,
        Article15Item::AutomatedDecisions,
        Article15Item::RightsInformation,
        Article15Item::Copy,
        // Added later, so the first eight keep their places on the reply form.
        Article15Item::ComplaintRight,
        Article15Item::TransferSafeguards,
    ];

    /// Plain words for a chaser letter or a checklist on screen.
    pub fn label(self) -> &'static str {
        match self {
            Article15Item::Purposes => "why they use the data (the purposes)",
            Article15Item::Categories => "what kinds of data they hold",
            Article15Item::Recipients => "who the data has been given to",
            Article15Item::Retention => "how long they will keep it",
            Article15Item::Source => "where the data came from",
            Article15Item::AutomatedDecisions => "any automated decisions made with it",
            Article15Item::RightsInformation => {
                "the person's other rights (correction, erasure, restriction, objection)"
            }
            Article15Item::ComplaintRight => "the right to complain to the ICO",
            Article15Item::TransferSafeguards => "the safeguards for any transfer outside the UK",
            Article15Item::Copy => "a copy of the data itself",
        }
    }
}

/// What a reply contained, item by item: `true` where it was received.
/// A reply recorded before an item was added reads it as received, so no
/// letter claims a reply left out something the adviser was never asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Article15Checklist {
    pub purposes: bool,
    pub categories: bool,
    pub recipients: bool,
    pub retention: bool,
    pub source: bool,
    pub automated_decisions: bool,
    pub rights_information: bool,
    #[serde(default = "received")]
    pub complaint_right: bool,
    #[serde(default = "received")]
    pub transfer_safeguards: bool,
    pub copy: bool,
}

fn received() -> bool {
    true
}

impl Article15Checklist {
    /// Every item received.
    pub fn complete() -> Self {
        let mut checklist = Article15Checklist::default();
        for item in Article15Item::ALL {
            *checklist.item_mut(item) = true;
        }
        checklist
    }

    pub fn has(&self, item: Article15Item) -> bool {
        match item {
            Article15Item::Purposes => self.purposes,
            Article15Item::Categories => self.categories,
            Article15Item::Recipients => self.recipients,
            Article15Item::Retention => self.retention,
            Article15Item::Source => self.source,
            Article15Item::AutomatedDecisions => self.automated_decisions,
            Article15Item::RightsInformation => self.rights_information,
            Article15Item::ComplaintRight => self.complaint_right,
            Article15Item::TransferSafeguards => self.transfer_safeguards,
            Article15Item::Copy => self.copy,
        }
    }

    pub fn item_mut(&mut self, item: Article15Item) -> &mut bool {
        match item {
            Article15Item::Purposes => &mut self.purposes,
            Article15Item::Categories => &mut self.categories,
            Article15Item::Recipients => &mut self.recipients,
            Article15Item::Retention => &mut self.retention,
            Article15Item::Source => &mut self.source,
            Article15Item::AutomatedDecisions => &mut self.automated_decisions,
            Article15Item::RightsInformation => &mut self.rights_information,
            Article15Item::ComplaintRight => &mut self.complaint_right,
            Article15Item::TransferSafeguards => &mut self.transfer_safeguards,
            Article15Item::Copy => &mut self.copy,
        }
    }

    /// The items the reply left out, in Article 15 order: what a chaser asks
    /// for.
    pub fn missing(&self) -> Vec<Article15Item> {
        Article15Item::ALL
            .into_iter()
            .filter(|item| !self.has(*item))
            .collect()
    }
}

/// A right the immigration exemption can restrict (DPA 2018 Sch 2 para
/// 4(2) and Art 5), as a reply may say it was relied on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestrictedRight {
    /// To be informed (Art 13(1)-(3), Art 14(1)-(4)).
    Information,
    /// Of access (Art 15(1)-(3)).
    Access,
    /// To erasure (Art 17(1)-(2)).
    Erasure,
    /// To restriction of processing (Art 18(1)).
    Restriction,
    /// To object (Art 21(1)).
    Objection,
    /// The Art 5 principles, so far as they correspond to those rights.
    Principles,
}

/// A reply as the adviser records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyDetails {
    pub request: RequestId,
    pub received: NaiveDate,
    pub checklist: Article15Checklist,
    /// Whether the reply relied on the immigration exemption.
    pub exemption_cited: bool,
    /// The rights it said the exemption restricted, where it said.
    #[serde(default)]
    pub exemption_rights: Vec<RestrictedRight>,
    #[serde(default)]
    pub notes: String,
}

/// A stored reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub id: ReplyId,
    #[serde(flatten)]
    pub details: ReplyDetails,
    #[serde(with = "timestamp")]
    pub created: DateTime<Utc>,
}

/// A generated letter, kept as rendered so the record shows what was sent.
/// `request` is set for letters about one request (a SAR, a chaser, a
/// complaint) and must belong to `client`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterDetails {
    pub client: ClientId,
    #[serde(default)]
    pub request: Option<RequestId>,
    pub template: String,
    pub rendered_text: String,
    /// The letter's own date, the day the adviser gave (none on letters stored
    /// before migration 6). Legal dates come from here, never from `created`.
    #[serde(default)]
    pub dated: Option<NaiveDate>,
}

/// A stored letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub id: LetterId,
    #[serde(flatten)]
    pub details: LetterDetails,
    #[serde(with = "timestamp")]
    pub created: DateTime<Utc>,
}

/// The summary of a guide run saved to a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdviceDetails {
    pub client: ClientId,
    pub guide: String,
    pub outcome: String,
    /// The run's summary as shown to the adviser: answers, outcome, sources.
    pub summary: String,
    pub date: NaiveDate,
}

/// A stored advice record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    pub id: AdviceId,
    #[serde(flatten)]
    pub details: AdviceDetails,
    #[serde(with = "timestamp")]
    pub created: DateTime<Utc>,
}

/// Everything the store holds about one client: what `export` writes and a
/// client's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRecord {
    pub client: Client,
    pub requests: Vec<Request>,
    pub replies: Vec<Reply>,
    pub letters: Vec<Letter>,
    pub advice: Vec<Advice>,
}

/// A request on the due dashboard, with the name of its client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRequest {
    pub client_name: String,
    #[serde(flatten)]
    pub request: Request,
    /// Its replies, for its standing (not in exports).
    #[serde(skip)]
    pub replies: Vec<Reply>,
    /// Its letters, without their text, for its standing (not in exports).
    #[serde(skip)]
    pub letters: Vec<Letter>,
}

/// How often one organisation's replies cited the immigration exemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExemptionStats {
    pub organisation: String,
    pub requests: u64,
    pub replies: u64,
    pub replies_citing_exemption: u64,
}

/// UTC timestamps as `YYYY-MM-DDTHH:MM:SSZ` for serde and the database.
pub(crate) mod timestamp {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn format(time: &DateTime<Utc>) -> String {
        time.to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    pub fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text).map(|time| time.with_timezone(&Utc))
    }

    pub fn serialize<S: Serializer>(
        time: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(D::Error::custom)
    }
}

/// One clarification pause as the `pauses` column holds it: `answered` is
/// absent while the clock is still stopped. Version 1 stores hold only closed
/// pauses, which read the same way.
#[derive(Serialize, Deserialize)]
struct StoredPause {
    asked: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answered: Option<NaiveDate>,
}

/// The `pauses` column's JSON for a request's closed pauses and open one.
pub(super) fn pauses_to_json(details: &RequestDetails) -> Result<String, serde_json::Error> {
    let stored: Vec<StoredPause> = details
        .clock
        .pauses
        .iter()
        .map(|p| StoredPause {
            asked: p.asked,
            answered: Some(p.answered),
        })
        .chain(details.clock.paused_since.map(|asked| StoredPause {
            asked,
            answered: None,
        }))
        .collect();
    serde_json::to_string(&stored)
}

/// The closed pauses and the open one (if any) from the `pauses` column.
pub(super) fn pauses_from_json(
    text: &str,
) -> Result<(Vec<Pause>, Option<NaiveDate>), serde_json::Error> {
    // Most requests have none: skip the parser.
    if text == "[]" {
        return Ok((Vec::new(), None));
    }
    let stored: Vec<StoredPause> = serde_json::from_str(text)?;
    let mut closed = Vec::new();
    let mut open = None;
    for pause in stored {
        match pause.answered {
            Some(answered) => closed.push(Pause {
                asked: pause.asked,
                answered,
            }),
            None => open = Some(pause.asked),
        }
    }
    Ok((closed, open))
}

// Package store keeps dealpilot's state in a bbolt file.
//
// DB implements domain.DealStore. Every public method runs in one bbolt
// transaction and calls small private helpers that take the *bbolt.Tx, so
// a deal, its history entries and its index entries are written together or
// not at all, and nothing is reported saved before the commit. The time of a
// write transaction is read once from the injected clock when it starts.
//
// # Schema (version 19)
//
// Integers are big-endian. <id> is a deal id as 8 bytes, so keys sort in id
// order. <date> is a calendar day as 4 bytes, year<<9 | month<<5 | day, so
// keys sort in date order (the zero Date is 0). Values marked JSON are
// store-private records with a "v" record version; they are converted to and
// from domain types in record.go, so a change to a domain type cannot change
// the file silently. Times are RFC 3339 in UTC, dates YYYY-MM-DD.
//
//	/
//	+-- meta
//	|   +-- "schema_version"        -> uint64 (8 bytes): 19
//	|   +-- "signing_key"           (since v6) 32 random bytes, drawn once: the HMAC key
//	|                               of form metadata and button values (bot/seal)
//	|   +-- "setup"                 (since v8, written by the bot at start when it differs)
//	|                               JSON setupRecord (setup.go): what reports need of the
//	|                               configuration the bot runs with, so `dealpilot report`
//	|                               on a copied file needs no YAML:
//	|         {"v":1,"seen_at","currency","locale","timezone","fiscal_year_start",
//	|          "teams":[{"name","manager","members","manager_sells"}],
//	|          "quotas":[{"user"|"team","period","amount"}],
//	|          "stages":[{"name","probability","category","requires"}],"loss_reasons"}
//	|         absent in a file no bot has started on since v8: reports then need --config
//	+-- deals                       (bucket sequence = last deal id given)
//	|   +-- <id>                    -> JSON dealRecord
//	|         {"v":5,"name","account","owner","amount","currency","stage",
//	|          "category","close_date","need","decision_makers","budget",
//	|          "timeline","risk","next_step","next_step_due","status",
//	|          "loss_reason","competitor","discount","external_id","type","term_months",
//	|          "recurring","created_unknown","attributes","splits","version",
//	|          "created_at","created_by","updated_at","updated_by"}
//	|         "v":2 added "type" (new, expansion, renewal), "term_months" and
//	|         "recurring" (ARR, minor units), all omitted when unset: a v1
//	|         record reads as none of them (type new);
//	|         "discount" (approved, basis points) came with the deal desk;
//	|         a record without it reads as 0, so "v" stays 1; "competitor"
//	|         (who won a lost deal) likewise reads as none when absent, and
//	|         "external_id" (the CRM's id of an imported deal, "hubspot:1234");
//	|         "v":3 added "created_unknown" (imported without its creation date:
//	|         no cycle), omitted when false: older records read as known, and
//	|         an older dealpilot refuses a v3 record rather than drop the flag;
//	|         "v":4 added "attributes", the deal's segment values by attribute
//	|         name ({"industry":"retail"}, issue 21), omitted when none: an older
//	|         record has none;
//	|         "v":5 added "splits" ([{"user","share" basis points,"overlay"}], the
//	|         people credited), omitted when the owner has 100 %: older records
//	|         read as that, and an older dealpilot refuses a v5 record
//	+-- history                     (bucket sequence = last entry sequence)
//	|   +-- <id><seq uint64>        -> JSON historyRecord
//	|         {"v":1,"at","by","field","old","new","version"}
//	|         a deal's history is the prefix scan of <id>, oldest first;
//	|         "version" (the deal version the change made) is absent in older
//	|         records and reads as 0, so "v" stays 1
//	+-- create_keys                 idempotency keys of CreateDeal and CreateDealForm
//	|   +-- <request key>           -> JSON {"v":1,"deal":<id>,"at"}
//	|   +-- "desk:"<request key>    -> the same record for CreateDeskRequest and a new request of
//	|                                  SaveDeskRequestForm; "deal" holds the request id
//	|   +-- "form:"<submission key> -> the same record for UpdateDealForm, with what the
//	|                                  submission answered: {"v":1,"deal","at","after":<dealRecord>,
//	|                                  "changes":[{"field","old","new"}]}
//	|   +-- "plan:"<submission key> -> {"v":1,"deal","at","after":<planRecord>} for SavePlanForm: the
//	|                                  plan that submission saved ("after" absent in older records)
//	|   +-- "deskform:"<submission key> -> {"v":1,"deal":<request id>,"at","after":<deskRequestRecord>}
//	|                                  for SaveDeskDecision (a decision's comment form) and a revision of
//	|                                  SaveDeskRequestForm: the request as that submission saved it
//	|     every key, prefixed or not (CreateDeal, CreateDealForm), is pruned after bot.DoneKept by
//	|     the "prune_done" job (PruneSubmissions): only a retry of its submission reads it
//	+-- idx_owner
//	|   +-- <owner>0x00<id>         -> empty
//	+-- idx_word                    (since v2; refolded in v4) search words of name and
//	|   |                           account, as domain.FoldWords gives them ("société" -> "societe")
//	|   +-- <word>0x00<id>          -> empty
//	+-- idx_due                     (since v2) next step due date; deals without one are absent
//	|   +-- <date><id>              -> empty
//	+-- idx_close                   (since v2) close date: the order Deals returns
//	|   +-- <date><id>              -> empty
//	+-- idx_owner_word              (since v13) idx_word's words under each deal's owner: the
//	|   |                           picker and a lookup by words within owners walk these
//	|   +-- <owner>0x00<word>0x00<id> -> empty
//	+-- idx_open                    (since v12) each owner's open deals by close date, what
//	|   |                           /deal list and App Home show: they decode only the deals
//	|   |                           shown and count the others from the keys (index.go)
//	|   +-- <owner>0x00<close date><id> -> <next step due date><category>0x00<stage>
//	+-- open_counts                 (since v15) idx_open's entries counted by owner, category
//	|   |                           and stage, kept in the same transaction: /deal list counts
//	|   |                           the deals it does not show from these (opencount.go)
//	|   +-- <owner>0x00<category>0x00<stage> -> big-endian uint64, deleted at zero
//	+-- idx_renew                   (since v16) each owner's won deals with a contract term,
//	|   |                           by the day it ends (close date + term): renewals due
//	|   |                           read only the deals of their window (renewals.go)
//	|   +-- <owner>0x00<term end><id> -> empty
//	+-- done                        (since v2) work done exactly once, see MarkDone;
//	|   |                           pruned after bot.DoneKept by the "prune_done" job
//	|   +-- <work key>              -> JSON {"v":1,"at"}  ("digest:France:2026-W49"; "call:"<key> and
//	|                                  "call:"<key>"/month" for a call form's two calls, forecast_call.go)
//	+-- desk_requests               (since v3) discount requests (bucket sequence = last id)
//	|   +-- <request id>            -> JSON deskRequestRecord (desk.go); "deal_version", the deal
//	|                                  version its revision was made on, is absent in older records
//	+-- desk_by_thread              (since v3) the request posted in a deal-desk thread
//	|   +-- <channel>0x00<ts>       -> <request id>
//	+-- desk_by_deal                (since v3)
//	|   +-- <id><request id>        -> empty
//	+-- plans                       (since v3) mutual action plans
//	|   +-- <id>                    -> JSON planRecord (plan.go); "version" counts saves (absent in
//	|                                  older records: read as 2; no record: 1), an emptied plan is kept
//	+-- fc_quotas                   (since v3) quotas set with /forecast quota
//	|   +-- <user>0x00<period>      -> JSON quotaRecord (forecast.go)
//	+-- fc_calls                    (since v3) forecast calls, every submission kept
//	|   +-- <period>0x00<user>0x00<unix nanos uint64> -> JSON callRecord
//	+-- fc_snapshots                (since v3) weekly pipeline snapshots
//	|   +-- <ISO week "2026-W48">   -> JSON snapshotRecord
//	+-- fc_sums                     (since v7) the forecast's running sums (sums.go): the deals
//	|   |                           of one close month sharing owner, currency, status,
//	|   |                           category and stage; every deal counts in exactly one
//	|   |                           (lost ones too; a deal without close date in month 0)
//	|   +-- <month><owner>0x00<currency>0x00<status>0x00<category>0x00<stage>
//	|                               -> <deals int64><net int64> (16 bytes): how many, and
//	|                                  Σ domain.NetOf(amount, discount) in minor units
//	|         <month> is the <date> encoding with day 0, so idx_close's days of the month
//	|         sort inside it; putDeal moves a deal's contribution (−1, −net from its
//	|         old record, +1, +net to its new one) in the transaction writing the deal,
//	|         and deletes a record back at 0, 0. No probability is stored: stages'
//	|         probabilities are configuration, applied when /forecast reads the sums.
//	|         `dealpilot check` recomputes them from the deals and reports drift.
//	+-- pl_digests                  (since v9; version 2 since v19) what /pipeline's KPIs and the
//	|   |                           segment and retention reports read of each deal (digest.go)
//	|   +-- <id>                    -> binary: version byte 2, uvarint length of the deal's part,
//	|                                  the deal's part (owner, currency, stage, category, status
//	|                                  as uvarint-length texts; amount, discount as varints; close
//	|                                  date, next step due as uvarint yyyymmdd, 0 for none; created
//	|                                  and updated at as a set byte + varint Unix ns; a uvarint of
//	|                                  bits, one per free-text field filled (name, need, decision
//	|                                  makers, budget, timeline, risk, next step), then 1<<7 for a
//	|                                  creation date unknown; loss reason, competitor, account as
//	|                                  typed, attributes (domain.Attrs.Encoded: name 0x00 value
//	|                                  pairs joined by 0x00, sorted by name), type as texts; term
//	|                                  months, recurring value as varints), then the history entries the rules
//	|                                  read, oldest first: kind byte (1 stage, 2 status, 3 close
//	|                                  date, 4 next step emptied), varint Unix ns, uvarint version,
//	|                                  new value (stage, status) or old and new dates (close date)
//	|         putDeal rewrites the deal's part in the transaction writing the deal (a new
//	|         deal takes the entries an import wrote before it), addHistory appends the
//	|         entries it writes. `dealpilot check` rebuilds each digest from the deal and
//	|         its history and reports drift (not in a file before v19: its version 1
//	|         digests, without account as typed, attributes, type, term and recurring
//	|         value, are rebuilt by migration 19).
//	+-- pl_parts                    (since v18) each part's generation, for /pipeline's cache (parts.go)
//	|   +-- <part, 8 bytes BE>      -> 8 bytes BE: the bucket's sequence when the part (the deals
//	|                                  with ids part×1024 to part×1024+1023) last changed: putDeal
//	|                                  and putDeskRequest bump it in their transaction, so a
//	|                                  reader sees a part's generation and its deals from one
//	|                                  state; migration 19 bumped every part up to the last
//	|                                  deal id; a part without one reads as generation 0
//	+-- jobs                        (since v3) what a scheduled job keeps for good (done keys
//	|   |                           are pruned; these are not)
//	|   +-- "icp_review:"<quarter>":"<team> -> JSON reviewRecord (icp_review.go, issue 21): the
//	|                                  quarterly ICP review made for a team's manager, {"v":1,
//	|                                  "quarter","from","to","before","team","manager","fit_now",
//	|                                  "min_deals","proposals":[{"kind","attribute","value","in_icp",
//	|                                  "now","before","quarters","decision","by","at"}],"made_at",
//	|                                  "posted_at"}; made once, posted once, each proposal decided once
//	+-- nudge_sent                  (since v3) reminders sent, per item
//	|   +-- <user>0x00<nudge key>   -> JSON {"v":1,"at"} (coaching.go; the DM itself is
//	|                                  the done key "remind:<user>:<YYYY-MM-DD>", same transaction)
//	+-- nudge_snooze                (since v3)
//	|   +-- <user>0x00"k:"<nudge key> or <user>0x00"d:"<deal id decimal>
//	|                               -> JSON {"v":1,"key","deal","until"}
//	+-- nudge_prefs                 (since v3) /deal nudges off|on|pause
//	|   +-- <user>                  -> JSON {"v":1,"off","paused_until"}
//	+-- people                      (since v8) display names as last seen from the platform
//	|   +-- <user>                  -> JSON {"v":1,"name","seen_at"} (setup.go), written
//	|                                  after the platform names someone (users.info), when
//	|                                  the name differs: what reports show beside the id
//	+-- msteams                     (since v10) who and where the Teams transport writes to,
//	|   |                           so a restarted bot still DMs people (msteams.go)
//	|   +-- "tenant"                -> JSON {"v":1,"tenant","service_url","at"}: the install's tenant
//	|   +-- "person:"<Entra object id> -> JSON {"v":1,"id","conv","service_url","at"}: the Bot
//	|                                  Framework id "29:…", the 1:1 conversation ("" until known)
//	|   +-- "channel:"<conversation id "19:…@thread.tacv2"> -> JSON {"v":1,"team","service_url","at"}:
//	|                                  its team (optional; its channels go when the app leaves it)
//	+-- imports                     (since v11) deals imported from a CRM (imports.go)
//	|   +-- <external id "hubspot:1234"> -> JSON {"v":1,"deal":<id>,"at","values":{<field>:<text>}}:
//	|                                  the deal the import made, and what the last import's
//	|                                  file said of each field it sets: a newer file's changes
//	|                                  and dealpilot's own are told apart against it; written
//	|                                  with the deal, in ApplyImport's transaction
//	+-- accounts                    (since v14) customers (accounts.go); the bucket's sequence
//	|   |                           (since v19, never 0) is the accounts' generation: every
//	|   |                           transaction writing an account moves it on (AccountsAt)
//	|   +-- <domain.AccountKey(name)> -> JSON {"v":2,"name","created_at","attributes":{<name>:<value>},
//	|                                  "events":[{"kind":"churn"|"downgrade","on","amount","currency",
//	|                                  "reason","by","at"}],"withdrawn":[{…as events…,"withdrawn_by",
//	|                                  "withdrawn_at"}]}: the name as first typed; segment values;
//	|                                  the recurring revenue lost, oldest first; events withdrawn as
//	|                                  recorded by mistake, in the order withdrawn, counted by nothing
//	|                                  (v2; a v1 record has none). putDeal makes the record
//	|                                  of a deal's account when there is none, in the deal's transaction
//	+-- cm_closed                   (since v17) commission months an admin closed (commission.go)
//	|   +-- <month "2026-11">       -> JSON {"v":1,"closed_at","closed_by","statements":{<user>:
//	|                                  {"period","term":{"plan","period","quota"},"lines":[{"kind",
//	|                                  "deal","on","base","rate","amount",…}],"credit","earned",
//	|                                  "draw":{"pay","owed_after",…}}}}: every statement as frozen;
//	|                                  written once, never rewritten (later changes are paid as
//	|                                  adjustments in the next open month, commission.Settle)
//	+-- posts                       (since v5) channel messages the bot must get out (posts.go)
//	    +-- <post key>              -> JSON {"v":1,"channel","parts":[<ref>…],"failed","actor",
//	                                   "reason","cause","attempts","failed_at","told","marker"}
//	                                   ("marker": drawn before the first attempt, sent in each
//	                                   part's metadata; absent in older records, read as none)
//	                                   keys: "desk:<request id>", "win:<deal id>" (both
//	                                   removed once out), "digest:<team>:<ISO week>",
//	                                   "remind:<user>:<YYYY-MM-DD>" (failures only)
//
// # Versions
//
// Version 1 had meta, deals, history, create_keys and idx_owner. Version 2
// added the search indexes (idx_word, idx_due, idx_close), built from the
// deals by the migration, and the done bucket. Version 3 added the empty
// buckets of the deal desk, the forecast and coaching. Version 4 rebuilt
// idx_word with domain.FoldWords, the folding the deal picker ranks with.
// Version 5 added the empty posts bucket. Version 6 added meta/signing_key,
// drawn at random by the migration. Version 7 added fc_sums, built from the
// deals by the migration (a deal that cannot be read counts in none, as the
// forecast skipped it before). Version 8 added the empty people bucket;
// meta/setup is not built by the migration (only a running bot knows its
// configuration) but written by the next bot to start. Version 9 added
// pl_digests, built from the deals and their history by the migration (a
// deal that cannot be read gets none). Version 10 added the empty msteams
// bucket (the Teams transport kept its people in memory before). Version 11
// added the empty imports bucket (no deal was imported before).
// Version 12 added idx_open, built from the deals by the migration (a deal
// that cannot be read gets no entry). Version 13 added idx_owner_word, built
// by the migration from idx_owner and idx_word. Version 14 added accounts, one
// record per folded account name of the deals, made by the migration (deal
// records went to "v":2 with type, term and recurring value, read from v1
// records as unset). Version 15 added open_counts, counted by the migration
// from idx_open. Version 16 added idx_renew, built by the migration
// from the deals. Version 17 added the empty cm_closed bucket (no commission
// month was closed before; deal records went to "v":5 with splits, read from
// older records as none). Version 18 added the empty pl_parts bucket (a part
// never written since counts as generation 0; the bot's cache of /pipeline's
// parts lives in memory, so no earlier state needs one). Version 19 rebuilt
// every digest in version 2, which adds the deal's account as typed, its
// attributes, type, term and recurring value for the segment and retention
// reports, bumping every part, and gave the accounts their first generation
// (the accounts bucket's sequence). Open applies the missing
// migrations of migrations.go in one update transaction, and refuses a file
// whose schema is newer than this program.
package store

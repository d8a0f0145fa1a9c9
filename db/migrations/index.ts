import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_incidents";
import * as m0003 from "./0003_postmortems";
import * as m0004 from "./0004_guardrails";
import * as m0005 from "./0005_decisions";
import * as m0006 from "./0006_search";
import * as m0007 from "./0007_integrations";
import * as m0008 from "./0008_search_bounded";
import * as m0009 from "./0009_throttle_backoff";
import * as m0010 from "./0010_insights";
import * as m0011 from "./0011_audit_vocabulary";
import * as m0012 from "./0012_markdown_sources";
import * as m0013 from "./0013_enforced_gates";
import * as m0014 from "./0014_severity_following";
import * as m0015 from "./0015_review_workflow";
import * as m0017 from "./0017_incident_of_factors_and_actions";
import * as m0019 from "./0019_tracker_sync";
import * as m0020 from "./0020_collaboration";
import * as m0021 from "./0021_mentions";
import * as m0022 from "./0022_search_tracker_keys";
import * as m0024 from "./0024_mention_mail";
import * as m0025 from "./0025_tracker_issue_fetch";

/**
 * Every migration, in order. Listed statically (not read from the folder at run time) so the
 * server bundle carries them. Forward-only: a shipped migration is never edited, only followed.
 */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_incidents": m0002,
  "0003_postmortems": m0003,
  "0004_guardrails": m0004,
  "0005_decisions": m0005,
  "0006_search": m0006,
  "0007_integrations": m0007,
  "0008_search_bounded": m0008,
  "0009_throttle_backoff": m0009,
  "0010_insights": m0010,
  "0011_audit_vocabulary": m0011,
  "0012_markdown_sources": m0012,
  "0013_enforced_gates": m0013,
  "0014_severity_following": m0014,
  "0015_review_workflow": m0015,
  "0017_incident_of_factors_and_actions": m0017,
  "0019_tracker_sync": m0019,
  "0020_collaboration": m0020,
  "0021_mentions": m0021,
  "0022_search_tracker_keys": m0022,
  "0024_mention_mail": m0024,
  "0025_tracker_issue_fetch": m0025,
};

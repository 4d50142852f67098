import type { ChatCommand } from './command.js';
import { dsrClose } from './dsr-close.js';
import { dsrDeadline } from './dsr-deadline.js';
import { dsrExtend } from './dsr-extend.js';
import { dsrForwarded } from './dsr-forwarded.js';
import { dsrHelp } from './dsr-help.js';
import { dsrList } from './dsr-list.js';
import { dsrNew } from './dsr-new.js';
import { dsrPause } from './dsr-pause.js';
import { dsrRefuse } from './dsr-refuse.js';
import { dsrResume } from './dsr-resume.js';
import { dsrShow } from './dsr-show.js';
import { dsrTold } from './dsr-told.js';
import { govAuditVerify } from './gov-audit-verify.js';
import { govBreachList } from './gov-breach-list.js';
import { govBreachNotReportable } from './gov-breach-not-reportable.js';
import { govBreachNotified } from './gov-breach-notified.js';
import { govBreachReport } from './gov-breach-report.js';
import { govComplaintAck } from './gov-complaint-ack.js';
import { govComplaintList } from './gov-complaint-list.js';
import { govComplaintNew } from './gov-complaint-new.js';
import { govComplaintOutcome } from './gov-complaint-outcome.js';
import { govComplaintShow } from './gov-complaint-show.js';
import { govChannelSet } from './gov-channel-set.js';
import { govHelp } from './gov-help.js';
import { govMembers } from './gov-members.js';
import { govMembersAdd } from './gov-members-add.js';
import { govMembersRemove } from './gov-members-remove.js';
import { govMembersLink } from './gov-members-link.js';
import { govNotice } from './gov-notice.js';
import { govNoticeChange } from './gov-notice-change.js';
import { govNoticeReviewed } from './gov-notice-reviewed.js';
import { govProcessors } from './gov-processors.js';
import { govProcessorsAdd } from './gov-processors-add.js';
import { govProcessorsReviewed } from './gov-processors-reviewed.js';
import { govPurge } from './gov-purge.js';
import { govPurgeExclude } from './gov-purge-exclude.js';
import { govPurgeRun } from './gov-purge-run.js';
import { govReport } from './gov-report.js';
import { dsrRecipients } from './dsr-recipients.js';

/**
 * Every chat command, in the order help lists them. A test checks that each command in the Slack
 * manifest has one here.
 */
export const COMMANDS: readonly ChatCommand[] = [
  dsrNew, dsrList, dsrShow, dsrPause, dsrResume, dsrTold, dsrForwarded, dsrExtend, dsrRefuse, dsrClose, dsrDeadline, dsrHelp,
  govHelp, govChannelSet, govMembers, govMembersAdd, govMembersRemove,
  govPurge, govPurgeRun, govPurgeExclude,
  govNotice, govNoticeReviewed, govNoticeChange, govProcessors, govProcessorsAdd, govProcessorsReviewed,
  govBreachReport, govBreachList, govBreachNotified, govBreachNotReportable,
  govAuditVerify, govMembersLink,
  govComplaintNew, govComplaintList, govComplaintShow, govComplaintAck, govComplaintOutcome,
  govReport,
  dsrRecipients,
];

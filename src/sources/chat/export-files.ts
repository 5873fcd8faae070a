// The other files of an export (ChatGPT's user.json and feedback files, Claude.ai's users.json,
// Slack's channel lists) and ChatGPT's uploaded attachments: read like any JSON or text file, but
// reported as part of the export, so the advice is to delete the conversation and the export.
import type { FormatReader } from '../files/formats.js';
import { readText } from '../files/text-reader.js';
import { readGenericJson } from './generic.js';

export function exportFileReader(service: string): FormatReader {
  return { name: `${service} export file`, read: (file, ctx) => readGenericJson(file, ctx, 'chat-export', { export: service }) };
}

export const chatGptAttachmentReader: FormatReader = { name: 'chatgpt-attachment', read: (file, ctx) => readText(file, ctx, 'chat-export') };

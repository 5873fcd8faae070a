// Is a path inside a folder that a sync client copies to the cloud (and to every linked device)?
// Judged by path segments, as the clients name their folders.

const SEGMENT_RULES: { service: string; test: (seg: string) => boolean }[] = [
  { service: 'Dropbox', test: (s) => /^Dropbox( \(.+\))?$/.test(s) },
  { service: 'OneDrive', test: (s) => /^OneDrive( - .+)?$/.test(s) },
  { service: 'iCloud Drive', test: (s) => s === 'iCloud Drive' || s === 'iCloudDrive' || s === 'Mobile Documents' },
  { service: 'Google Drive', test: (s) => s === 'Google Drive' || s === 'GoogleDrive' || s === 'My Drive' },
];

/** macOS File Provider mounts: ~/Library/CloudStorage/<Provider>-<account>. */
const CLOUD_STORAGE: { service: string; prefix: string }[] = [
  { service: 'Dropbox', prefix: 'Dropbox' },
  { service: 'OneDrive', prefix: 'OneDrive' },
  { service: 'Google Drive', prefix: 'GoogleDrive' },
  { service: 'iCloud Drive', prefix: 'iCloud' },
  { service: 'Box', prefix: 'Box' },
];

export function syncedServiceOf(path: string): string | undefined {
  const segs = path.split(/[\\/]+/).filter((s) => s !== '');
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] ?? '';
    if (seg === 'CloudStorage' && segs[i - 1] === 'Library') {
      const next = segs[i + 1];
      const hit = next ? CLOUD_STORAGE.find((c) => next.startsWith(c.prefix)) : undefined;
      if (hit) return hit.service;
    }
    const rule = SEGMENT_RULES.find((r) => r.test(seg));
    if (rule) return rule.service;
  }
  return undefined;
}

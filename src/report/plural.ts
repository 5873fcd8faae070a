// Counts in words: "1 file", "2 files", "1 history entry". One helper, so no report says "1 files".

/** `n` and the noun in the form `n` takes: plural(1, 'file') → "1 file", plural(2, 'entry', 'entries') → "2 entries". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** The singular of a plural noun phrase, its last word changed: "staged files" → "staged file", "history entries" → "history entry". */
export function singularOf(phrase: string): string {
  return phrase.replace(/ies$/, 'y').replace(/([^s])s$/, '$1');
}

/** `n` and a noun phrase given in the plural ("staged files"): the count the summary line and progress use. */
export function countOf(n: number, pluralPhrase: string): string {
  return plural(n, singularOf(pluralPhrase), pluralPhrase);
}

/** Skip reasons are written in the plural ("symbolic links (not followed)"); one of them reads in the singular. */
export function skipReason(reason: string, n: number): string {
  if (n !== 1) return reason;
  return reason.replace(/^(special files|submodule pointers|symbolic links|lines|gitignored files|gitignored folders)\b/, (m) => singularOf(m));
}

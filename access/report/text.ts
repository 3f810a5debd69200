/** Small text helpers shared by the report's reader and renderers. */

/** "1,234 people": counts in sentences, with the same grouping everywhere. */
export const count = (n: number): string => n.toLocaleString("en-US");
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

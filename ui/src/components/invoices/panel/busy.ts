/** What the invoice panel is waiting for; one thing at a time. */
export type Busy = "issue" | "reconcile" | "reissue" | "cancel" | "change" | "pdf" | "save" | null;

-- The drafts of one kind across consultants (DraftsOfKind): imports a
-- crash cut short, found when the bot comes back.
CREATE INDEX IF NOT EXISTS drafts_kind ON drafts (kind, owner, id);

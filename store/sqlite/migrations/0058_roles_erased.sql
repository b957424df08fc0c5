-- A customer whose card was erased, and who was nobody else's customer,
-- keeps a role with owner 0 and the time of the erasure (crm.Role.ErasedAt):
-- her next message is told that her data is gone instead of starting a
-- consultant's book. It holds her Telegram id and that time only: no
-- consultant, nothing of the card.
ALTER TABLE roles ADD COLUMN erased_at INTEGER;

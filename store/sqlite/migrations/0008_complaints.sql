-- Open complaints per customer, for the digest.
ALTER TABLE customers ADD COLUMN complaints INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS customers_complaints ON customers (owner, complaints);

-- Security review M2 (R-SEC-31): resume tickets are sealed with TICKET_KEYS or the data folder's
-- key file now; the key once kept here would let anyone who reads the database mint tickets.
DELETE FROM "server_meta" WHERE "key" = 'resume_ticket_key';

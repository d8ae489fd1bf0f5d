-- An operator moves coin from its payable (maintenance fees, paid in the coin mined) to its own
-- wallet balance (USER_AVAILABLE), from where the withdrawal flow sends it out: 2FA, a
-- whitelisted address past its lock, limits, review and audit, as for every customer.
ALTER TYPE "journal_kind" ADD VALUE 'OPERATOR_PAYABLE_TRANSFER';

"""Services of the assessment domain: the breach ledger (ASM-03/04), the assessment cycle
(ASM-01/02/06) and the settlement (PAY-03)."""

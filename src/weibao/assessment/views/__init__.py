"""The assessment pages (考核与结算): the breach ledger, the assessments of a contract, an
assessment with its lines, result and settlement, and the steps each role takes."""

"""The test suite, by subject: how a text is read (reading/), each product's versions, rules,
probes and fleets (ydb/, ravendb/), inventories (inventory/), the scan and its pull-request gate
(scan/), the admission webhook (webhook/), the command line (cli/) and the documentation
(docs/). At the top, the contract every product meets (test_contract.py, test_rule_tables.py),
which docs/adding-a-product.md asks a new product to join; helpers.py and servers.py hold what
tests of several folders share."""

"""Input vendors (issue 15): the cluster's textile, trims and machinery suppliers.

Members record their purchases from a vendor (lot on time, quality against the sample,
warranty honoured); the board vets vendors with the same workflow as buyers, and the records
feed the same screener through the one feature function.
"""

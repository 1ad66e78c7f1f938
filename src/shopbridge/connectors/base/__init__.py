"""The store connector contract: DTOs and the StoreConnector protocol every store implements."""

class EndpointRefused(Exception):
    """A webhook address the site will not call (scheme, or an address inside the network)."""

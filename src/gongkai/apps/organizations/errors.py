class AgencyNotFound(LookupError):
    pass

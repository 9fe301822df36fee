@_exported public import SitingProjection

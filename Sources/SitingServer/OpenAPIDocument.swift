import Foundation

/// The OpenAPI 3.1 document served at `/openapi.json`: every route of `RouteTemplate` with its methods,
/// parameters with the ranges the routes enforce, the ranking body, the response shapes
/// (`NearbyJSON`, `OutletRoute.Detail`, `PlanJSON.Report`, health, reload, metrics) and the problem
/// document of every error status. `OpenAPITests` checks it against the running server: keep it in
/// step with the routes.
enum OpenAPIDocument {
    static let json = Data(text.utf8)

    static let text = #"""
        {
          "openapi": "3.1.0",
          "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
          "info": {
            "title": "Siting",
            "version": "1.0.0",
            "summary": "Nearby bank outlets for the mobile app, outlet details and new-site rankings.",
            "description": "The HTTP service of Siting (`siting serve`), over the same database as the `siting` command line.\n\n- Errors are RFC 9457 problem documents (`application/problem+json`) with the real status code; `detail` names the parameter and what is accepted, `parameter` names it alone, `request_id` matches the `X-Request-Id` header.\n- Every response carries `X-Request-Id`. GET answers of nearby, outlet detail and this document carry an `ETag` and a `Cache-Control` lifetime; send the tag back in `If-None-Match` for a 304. Other answers are `Cache-Control: no-store`.\n- Every GET route answers HEAD too. Another method on a known path is 405 with `Allow`; an unknown path is 404 (`urn:siting:problem:not-found`).\n- Positions are `[lon, lat]`; WGS84 unless a `coordsys` says otherwise. Distances are metres.\n- With `--cors-origin`, allowed origins get `Access-Control-Allow-Origin` and `OPTIONS` preflights on the paths here are answered 204 (without it, `OPTIONS` is 405).\n- The data are reloaded without a restart when `siting import` changes the database, on SIGHUP and on `POST /v1/admin/reload`.",
            "license": {
              "name": "No licence granted (no LICENSE file in the repository); the shipped data's licences are in Geodata/README.md"
            }
          },
          "servers": [
            {
              "url": "http://127.0.0.1:8080",
              "description": "`siting serve` with its defaults."
            }
          ],
          "tags": [
            {
              "name": "outlets",
              "description": "Nearby outlets and outlet details (the mobile app)."
            },
            {
              "name": "rankings",
              "description": "New-site plans (the planners)."
            },
            {
              "name": "admin",
              "description": "Operations that need the admin token."
            },
            {
              "name": "operations",
              "description": "Health, metrics and this document."
            }
          ],
          "paths": {
            "/v1/outlets/nearby": {
              "get": {
                "operationId": "nearbyOutlets",
                "tags": [
                  "outlets"
                ],
                "summary": "The outlets nearest a position",
                "description": "The bank's outlets nearest the caller, sorted by ellipsoidal distance, with today's hours and whether they are open at `at` (computed in each outlet's time zone). Every parameter is given at most once, except the repeatable filters; an unknown parameter is 400 and its `detail` lists the known names.",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/lat"
                  },
                  {
                    "$ref": "#/components/parameters/lng"
                  },
                  {
                    "$ref": "#/components/parameters/coordsys"
                  },
                  {
                    "$ref": "#/components/parameters/radius"
                  },
                  {
                    "$ref": "#/components/parameters/limit"
                  },
                  {
                    "$ref": "#/components/parameters/kind"
                  },
                  {
                    "$ref": "#/components/parameters/service"
                  },
                  {
                    "$ref": "#/components/parameters/accessible"
                  },
                  {
                    "$ref": "#/components/parameters/open_now"
                  },
                  {
                    "$ref": "#/components/parameters/at"
                  },
                  {
                    "$ref": "#/components/parameters/format"
                  },
                  {
                    "$ref": "#/components/parameters/ifNoneMatch"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The nearest outlets: `application/json` by default, `application/geo+json` with `format=geojson`.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/NearbyResponse"
                        }
                      },
                      "application/geo+json": {
                        "schema": {
                          "$ref": "#/components/schemas/NearbyFeatureCollection"
                        }
                      }
                    }
                  },
                  "304": {
                    "$ref": "#/components/responses/NotModified"
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/ServiceUnavailable"
                  }
                }
              },
              "head": {
                "operationId": "nearbyOutletsHead",
                "summary": "The outlets nearest a position (headers only)",
                "tags": [
                  "outlets"
                ],
                "responses": {
                  "200": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "304": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "400": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  },
                  "405": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Allow": {
                        "$ref": "#/components/headers/Allow"
                      }
                    }
                  },
                  "500": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  },
                  "503": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Retry-After": {
                        "$ref": "#/components/headers/RetryAfter"
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "$ref": "#/components/parameters/lat"
                  },
                  {
                    "$ref": "#/components/parameters/lng"
                  },
                  {
                    "$ref": "#/components/parameters/coordsys"
                  },
                  {
                    "$ref": "#/components/parameters/radius"
                  },
                  {
                    "$ref": "#/components/parameters/limit"
                  },
                  {
                    "$ref": "#/components/parameters/kind"
                  },
                  {
                    "$ref": "#/components/parameters/service"
                  },
                  {
                    "$ref": "#/components/parameters/accessible"
                  },
                  {
                    "$ref": "#/components/parameters/open_now"
                  },
                  {
                    "$ref": "#/components/parameters/at"
                  },
                  {
                    "$ref": "#/components/parameters/format"
                  },
                  {
                    "$ref": "#/components/parameters/ifNoneMatch"
                  }
                ]
              }
            },
            "/v1/outlets/{id}": {
              "get": {
                "operationId": "outletDetail",
                "tags": [
                  "outlets"
                ],
                "summary": "One outlet with its weekly hours and dated exceptions",
                "parameters": [
                  {
                    "$ref": "#/components/parameters/outletId"
                  },
                  {
                    "$ref": "#/components/parameters/outletCoordsys"
                  },
                  {
                    "$ref": "#/components/parameters/ifNoneMatch"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The outlet.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OutletDetail"
                        }
                      }
                    }
                  },
                  "304": {
                    "$ref": "#/components/responses/NotModified"
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/OutletNotFound"
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/ServiceUnavailable"
                  }
                }
              },
              "head": {
                "operationId": "outletDetailHead",
                "summary": "One outlet (headers only)",
                "tags": [
                  "outlets"
                ],
                "responses": {
                  "200": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "304": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "400": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  },
                  "404": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  },
                  "405": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Allow": {
                        "$ref": "#/components/headers/Allow"
                      }
                    }
                  },
                  "500": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  },
                  "503": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Retry-After": {
                        "$ref": "#/components/headers/RetryAfter"
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "$ref": "#/components/parameters/outletId"
                  },
                  {
                    "$ref": "#/components/parameters/outletCoordsys"
                  },
                  {
                    "$ref": "#/components/parameters/ifNoneMatch"
                  }
                ]
              }
            },
            "/v1/rankings": {
              "post": {
                "operationId": "rankSites",
                "tags": [
                  "rankings"
                ],
                "summary": "Rank new outlet sites for a region or a box",
                "description": "Picks `sites` new sites by lazy greedy on net gain under the Huff model, then refines by swaps, and reports each pick's breakdown and the bound on the optimum. Bounded: at most 250000 demand cells (413), 1 ranking at a time (429) and 60 s (503) by default. Query parameters are ignored.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RankingRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The plan.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RankingReport"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "413": {
                    "$ref": "#/components/responses/ContentTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "422": {
                    "$ref": "#/components/responses/UnprocessableContent"
                  },
                  "429": {
                    "$ref": "#/components/responses/TooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/ServiceUnavailable"
                  }
                }
              }
            },
            "/v1/admin/reload": {
              "post": {
                "operationId": "reloadData",
                "tags": [
                  "admin"
                ],
                "summary": "Load the data again now",
                "description": "Loads a new snapshot from the database and swaps it in atomically (requests in flight finish on the old one). The server also reloads by itself when `siting import` raises the data version, and on SIGHUP. The route exists only when the server was started with `--admin-token` (else 404). Query parameters and the body are ignored.",
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The snapshot now in use.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Reloaded"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminDisabled"
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/ServiceUnavailable"
                  }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "openAPIDocument",
                "tags": [
                  "operations"
                ],
                "summary": "This document",
                "security": [],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ifNoneMatch"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The OpenAPI 3.1 document.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OpenAPIDocument"
                        }
                      }
                    }
                  },
                  "304": {
                    "$ref": "#/components/responses/NotModified"
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  }
                }
              },
              "head": {
                "operationId": "openAPIDocumentHead",
                "summary": "This document (headers only)",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "304": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "ETag": {
                        "$ref": "#/components/headers/ETag"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlPublic"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "405": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Allow": {
                        "$ref": "#/components/headers/Allow"
                      }
                    }
                  },
                  "500": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ifNoneMatch"
                  }
                ],
                "security": []
              }
            },
            "/healthz": {
              "get": {
                "operationId": "health",
                "tags": [
                  "operations"
                ],
                "summary": "Liveness and the data being served",
                "responses": {
                  "200": {
                    "description": "The server is up and serving this data version.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Health"
                        }
                      }
                    }
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/ServiceUnavailable"
                  }
                }
              },
              "head": {
                "operationId": "healthHead",
                "summary": "Liveness (headers only)",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "405": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Allow": {
                        "$ref": "#/components/headers/Allow"
                      }
                    }
                  },
                  "500": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  },
                  "503": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Retry-After": {
                        "$ref": "#/components/headers/RetryAfter"
                      }
                    }
                  }
                }
              }
            },
            "/livez": {
              "get": {
                "operationId": "live",
                "tags": [
                  "operations"
                ],
                "summary": "Liveness only",
                "description": "A constant answer that touches no data: the process is up and answering. `/healthz` also reports the data being served.",
                "responses": {
                  "200": {
                    "description": "The process answers.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Live"
                        }
                      }
                    }
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  }
                }
              },
              "head": {
                "operationId": "liveHead",
                "summary": "Liveness only (headers only)",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "405": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Allow": {
                        "$ref": "#/components/headers/Allow"
                      }
                    }
                  },
                  "500": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  }
                }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "tags": [
                  "operations"
                ],
                "summary": "Prometheus metrics",
                "description": "Requests by route template, method and status (`siting_http_requests_total`), latency histograms by route template (`siting_http_request_duration_seconds`), the data version, outlets loaded, reloads, last load time and uptime.",
                "responses": {
                  "200": {
                    "description": "The metrics.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    },
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string",
                          "description": "The Prometheus text exposition format, version 0.0.4 (`Content-Type: text/plain; version=0.0.4; charset=utf-8`)."
                        }
                      }
                    }
                  },
                  "405": {
                    "$ref": "#/components/responses/MethodNotAllowed"
                  },
                  "500": {
                    "$ref": "#/components/responses/InternalServerError"
                  }
                }
              },
              "head": {
                "operationId": "metricsHead",
                "summary": "Prometheus metrics (headers only)",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      }
                    }
                  },
                  "405": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "X-Request-Id": {
                        "$ref": "#/components/headers/XRequestId"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      },
                      "Allow": {
                        "$ref": "#/components/headers/Allow"
                      }
                    }
                  },
                  "500": {
                    "description": "As for GET, without a body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/CacheControlNoStore"
                      }
                    }
                  }
                }
              }
            }
          },
          "components": {
            "schemas": {
              "Problem": {
                "type": "object",
                "description": "An RFC 9457 problem document (`application/problem+json`), with the real HTTP status. `type` is `urn:siting:problem:<slug>`; the slugs are listed in the enum. Two extension members: `parameter` names the query parameter or body field at fault, and `request_id` is the request's id (the `X-Request-Id` header and the server log carry the same id).",
                "required": [
                  "type",
                  "title",
                  "status",
                  "detail"
                ],
                "additionalProperties": false,
                "properties": {
                  "type": {
                    "type": "string",
                    "format": "uri",
                    "enum": [
                      "urn:siting:problem:missing-parameter",
                      "urn:siting:problem:invalid-parameter",
                      "urn:siting:problem:unknown-parameter",
                      "urn:siting:problem:malformed-body",
                      "urn:siting:problem:unauthorized",
                      "urn:siting:problem:outlet-not-found",
                      "urn:siting:problem:not-found",
                      "urn:siting:problem:method-not-allowed",
                      "urn:siting:problem:body-too-large",
                      "urn:siting:problem:ranking-too-large",
                      "urn:siting:problem:unsupported-media-type",
                      "urn:siting:problem:ranking-refused",
                      "urn:siting:problem:ranking-busy",
                      "urn:siting:problem:internal",
                      "urn:siting:problem:ranking-timed-out",
                      "urn:siting:problem:data-unavailable"
                    ]
                  },
                  "title": {
                    "type": "string",
                    "description": "The status code's reason phrase (`Bad Request`, `Content Too Large`, …)."
                  },
                  "status": {
                    "type": "integer",
                    "minimum": 400,
                    "maximum": 599,
                    "description": "The HTTP status code of the response."
                  },
                  "detail": {
                    "type": "string",
                    "description": "What went wrong for this request: the parameter and what is accepted."
                  },
                  "instance": {
                    "type": "string",
                    "description": "The request path (without the query)."
                  },
                  "parameter": {
                    "type": "string",
                    "description": "The query parameter or body field the problem is about (absent when none is to blame). `lat/lng` when the position as a whole is refused; `region` for a ranking over too many cells."
                  },
                  "request_id": {
                    "type": "string",
                    "description": "The request id, as in the `X-Request-Id` header (absent only on the rare 500 answer)."
                  }
                }
              },
              "CoordinateSystem": {
                "type": "string",
                "enum": [
                  "wgs84",
                  "cgcs2000",
                  "gcj02",
                  "bd09"
                ],
                "description": "`wgs84` (GPS, EPSG:4326), `cgcs2000` (EPSG:4490), `gcj02` (Amap, Tencent, Apple Maps in mainland China), `bd09` (Baidu)."
              },
              "PositionWGS84": {
                "type": "array",
                "description": "`[lon, lat]` in WGS84, degrees.",
                "prefixItems": [
                  {
                    "type": "number",
                    "minimum": -180,
                    "maximum": 180
                  },
                  {
                    "type": "number",
                    "minimum": -90,
                    "maximum": 90
                  }
                ],
                "items": false,
                "minItems": 2,
                "maxItems": 2
              },
              "Position": {
                "type": "array",
                "description": "`[lon, lat]` in the coordinate system named by the sibling `coordsys`, degrees.",
                "prefixItems": [
                  {
                    "type": "number"
                  },
                  {
                    "type": "number"
                  }
                ],
                "items": false,
                "minItems": 2,
                "maxItems": 2
              },
              "OutletKind": {
                "type": "string",
                "enum": [
                  "primaryBranch",
                  "secondaryBranch",
                  "subBranch",
                  "community",
                  "selfService"
                ],
                "description": "`primaryBranch`, `secondaryBranch`, `subBranch`, `community` (community or micro branch), `selfService` (standalone self-service site)."
              },
              "TriState": {
                "type": "string",
                "enum": [
                  "yes",
                  "no",
                  "unknown"
                ]
              },
              "Services": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "cash",
                  "wealth_management",
                  "foreign_exchange",
                  "self_service_devices",
                  "smart_counters"
                ],
                "properties": {
                  "cash": {
                    "type": "boolean"
                  },
                  "wealth_management": {
                    "type": "boolean"
                  },
                  "foreign_exchange": {
                    "type": "boolean"
                  },
                  "self_service_devices": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "ATMs, deposit and passbook machines."
                  },
                  "smart_counters": {
                    "type": "integer",
                    "minimum": 0
                  }
                }
              },
              "Accessibility": {
                "type": "object",
                "additionalProperties": false,
                "description": "Tri-state: `yes`, `no` or `unknown`.",
                "required": [
                  "wheelchair",
                  "visually_impaired",
                  "hearing_impaired",
                  "elderly"
                ],
                "properties": {
                  "wheelchair": {
                    "$ref": "#/components/schemas/TriState"
                  },
                  "visually_impaired": {
                    "$ref": "#/components/schemas/TriState"
                  },
                  "hearing_impaired": {
                    "$ref": "#/components/schemas/TriState"
                  },
                  "elderly": {
                    "$ref": "#/components/schemas/TriState"
                  }
                }
              },
              "HoursSpan": {
                "type": "string",
                "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$",
                "description": "A span of opening hours, `HH:MM-HH:MM` in the outlet's local time; the end may be `24:00` (midnight) or earlier than the start for a span that runs past midnight (`22:00-02:00`).",
                "examples": [
                  "09:00-17:30",
                  "00:00-24:00"
                ]
              },
              "Adcode": {
                "type": "string",
                "pattern": "^[0-9]{6}$",
                "description": "A 6-digit GB/T 2260 region code."
              },
              "NearbyResult": {
                "type": "object",
                "additionalProperties": false,
                "description": "One outlet near the caller. Optional members are absent (never null) when unknown.",
                "required": [
                  "id",
                  "name",
                  "kind",
                  "distance_m",
                  "azimuth_deg",
                  "position_wgs84",
                  "position",
                  "coordsys",
                  "services",
                  "accessibility",
                  "time_zone",
                  "hours_today",
                  "self_service_hours_today"
                ],
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "kind": {
                    "$ref": "#/components/schemas/OutletKind"
                  },
                  "address": {
                    "type": "string"
                  },
                  "adcode": {
                    "$ref": "#/components/schemas/Adcode"
                  },
                  "distance_m": {
                    "type": "number",
                    "minimum": 0,
                    "description": "Ellipsoidal (WGS84 geodesic) distance from the caller, metres, to the millimetre."
                  },
                  "azimuth_deg": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 360,
                    "description": "Initial bearing from the caller to the outlet, degrees clockwise from north, to 0.01°."
                  },
                  "position_wgs84": {
                    "$ref": "#/components/schemas/PositionWGS84"
                  },
                  "position": {
                    "$ref": "#/components/schemas/Position"
                  },
                  "coordsys": {
                    "$ref": "#/components/schemas/CoordinateSystem"
                  },
                  "services": {
                    "$ref": "#/components/schemas/Services"
                  },
                  "accessibility": {
                    "$ref": "#/components/schemas/Accessibility"
                  },
                  "time_zone": {
                    "type": "string",
                    "description": "IANA time zone of the outlet (Asia/Shanghai by default).",
                    "examples": [
                      "Asia/Shanghai"
                    ]
                  },
                  "hours_today": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/HoursSpan"
                    },
                    "description": "Counter hours on the local day of `at` (holidays and make-up workdays applied); empty when closed all day or when the hours are unknown."
                  },
                  "self_service_hours_today": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/HoursSpan"
                    },
                    "description": "Self-service area hours on that day; empty when there are none."
                  },
                  "open_now": {
                    "type": "boolean",
                    "description": "Whether the counters are open at `at`; absent when the outlet's hours are unknown."
                  },
                  "next_open": {
                    "type": "string",
                    "format": "date-time",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$",
                    "description": "The next opening of the counters after `at`, with the outlet's UTC offset; absent when unknown or none within the search horizon."
                  },
                  "next_close": {
                    "type": "string",
                    "format": "date-time",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$",
                    "description": "The next closing of the counters after `at`, with the outlet's UTC offset; absent when unknown or none within the search horizon."
                  }
                }
              },
              "NearbyResponse": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "coordsys",
                  "at",
                  "count",
                  "results"
                ],
                "properties": {
                  "coordsys": {
                    "$ref": "#/components/schemas/CoordinateSystem"
                  },
                  "at": {
                    "type": "string",
                    "format": "date-time",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$",
                    "description": "The instant the hours were evaluated at, UTC (`…Z`)."
                  },
                  "count": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 100
                  },
                  "results": {
                    "type": "array",
                    "maxItems": 100,
                    "items": {
                      "$ref": "#/components/schemas/NearbyResult"
                    },
                    "description": "Nearest first."
                  }
                }
              },
              "NearbyFeatureCollection": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "type",
                  "features"
                ],
                "description": "An RFC 7946 FeatureCollection: one Point feature per result, WGS84 `[lon, lat]`, the result's members as properties.",
                "properties": {
                  "type": {
                    "const": "FeatureCollection"
                  },
                  "features": {
                    "type": "array",
                    "maxItems": 100,
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "type",
                        "id",
                        "geometry",
                        "properties"
                      ],
                      "properties": {
                        "type": {
                          "const": "Feature"
                        },
                        "id": {
                          "type": "string",
                          "description": "The outlet id."
                        },
                        "geometry": {
                          "type": "object",
                          "additionalProperties": false,
                          "required": [
                            "type",
                            "coordinates"
                          ],
                          "properties": {
                            "type": {
                              "const": "Point"
                            },
                            "coordinates": {
                              "$ref": "#/components/schemas/PositionWGS84"
                            }
                          }
                        },
                        "properties": {
                          "$ref": "#/components/schemas/NearbyResult"
                        }
                      }
                    }
                  }
                }
              },
              "WeekDay": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "day",
                  "spans"
                ],
                "properties": {
                  "day": {
                    "type": "string",
                    "enum": [
                      "Mo",
                      "Tu",
                      "We",
                      "Th",
                      "Fr",
                      "Sa",
                      "Su"
                    ]
                  },
                  "spans": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/HoursSpan"
                    }
                  }
                }
              },
              "Week": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/WeekDay"
                },
                "minItems": 7,
                "maxItems": 7,
                "description": "Monday to Sunday."
              },
              "DatedException": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "date",
                  "kind",
                  "name",
                  "hours"
                ],
                "properties": {
                  "date": {
                    "type": "string",
                    "format": "date",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
                  },
                  "kind": {
                    "type": "string",
                    "enum": [
                      "holiday",
                      "workday"
                    ],
                    "description": "`holiday` (public holiday) or `workday` (a make-up working day)."
                  },
                  "name": {
                    "type": "string"
                  },
                  "hours": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/HoursSpan"
                    },
                    "description": "Counter hours that day (empty: closed)."
                  },
                  "self_service_hours": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/HoursSpan"
                    },
                    "description": "Self-service hours that day; present only for outlets with self-service hours."
                  }
                }
              },
              "OutletHours": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "text",
                  "weekly",
                  "exceptions"
                ],
                "properties": {
                  "text": {
                    "type": "string",
                    "description": "The hours as imported (a subset of OpenStreetMap `opening_hours`).",
                    "examples": [
                      "Mo-Fr 09:00-17:30; Sa-Su 10:00-15:00; PH off"
                    ]
                  },
                  "self_service_text": {
                    "type": "string",
                    "description": "The self-service hours as imported; absent when there are none."
                  },
                  "weekly": {
                    "$ref": "#/components/schemas/Week"
                  },
                  "self_service_weekly": {
                    "$ref": "#/components/schemas/Week"
                  },
                  "public_holiday": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/HoursSpan"
                    },
                    "description": "Counter hours on public holidays from a `PH` rule (empty for `PH off`); absent when the text has no `PH` rule."
                  },
                  "exceptions": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/DatedException"
                    },
                    "description": "Listed holidays and make-up workdays from the outlet's local today on, for 366 days."
                  }
                }
              },
              "OutletDetail": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "name",
                  "kind",
                  "position_wgs84",
                  "position",
                  "coordsys",
                  "services",
                  "accessibility",
                  "time_zone"
                ],
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "kind": {
                    "$ref": "#/components/schemas/OutletKind"
                  },
                  "address": {
                    "type": "string"
                  },
                  "adcode": {
                    "$ref": "#/components/schemas/Adcode"
                  },
                  "position_wgs84": {
                    "$ref": "#/components/schemas/PositionWGS84"
                  },
                  "position": {
                    "$ref": "#/components/schemas/Position"
                  },
                  "coordsys": {
                    "$ref": "#/components/schemas/CoordinateSystem"
                  },
                  "services": {
                    "$ref": "#/components/schemas/Services"
                  },
                  "accessibility": {
                    "$ref": "#/components/schemas/Accessibility"
                  },
                  "time_zone": {
                    "type": "string"
                  },
                  "hours": {
                    "$ref": "#/components/schemas/OutletHours",
                    "description": "Weekly hours and dated exceptions; absent when the outlet's hours are unknown or do not parse."
                  }
                }
              },
              "Health": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "status",
                  "data_version",
                  "outlets",
                  "loaded_at",
                  "reloads"
                ],
                "properties": {
                  "status": {
                    "const": "ok"
                  },
                  "data_version": {
                    "type": "integer",
                    "description": "The database's data version being served (raised by every import)."
                  },
                  "outlets": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "loaded_at": {
                    "type": "string",
                    "format": "date-time",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$",
                    "description": "When the snapshot in use was loaded, UTC."
                  },
                  "reloads": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Snapshots swapped in since start."
                  }
                }
              },
              "Live": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "status"
                ],
                "properties": {
                  "status": {
                    "const": "ok"
                  }
                }
              },
              "Reloaded": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "reloaded",
                  "data_version",
                  "outlets"
                ],
                "properties": {
                  "reloaded": {
                    "type": "boolean",
                    "description": "Whether a new snapshot was swapped in (the admin route always loads again, so true)."
                  },
                  "data_version": {
                    "type": "integer"
                  },
                  "outlets": {
                    "type": "integer",
                    "minimum": 0
                  }
                }
              },
              "RankingRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "sites"
                ],
                "description": "A ranking of `sites` new sites over a region or a box: the options of `siting rank`, snake_case, units in the names. Exactly one of `region` and `bbox`. A field of the wrong JSON type, a misspelt `decay` or `candidates`, an unknown field or a body that is not a JSON object is 400; a value the model refuses (out of range, unknown region, unknown factor, both or neither of `region` and `bbox`) is 422 with the field in `parameter`.",
                "properties": {
                  "region": {
                    "$ref": "#/components/schemas/Adcode",
                    "description": "A region's 6-digit adcode (`310000` Shanghai, `330106` Xihu district, `100000` all of mainland China)."
                  },
                  "bbox": {
                    "type": "array",
                    "items": {
                      "type": "number"
                    },
                    "minItems": 4,
                    "maxItems": 4,
                    "description": "A WGS84 box: west, south, east, north, degrees (west < east, south < north; no box across the antimeridian)."
                  },
                  "sites": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "How many sites to pick, fixed sites included."
                  },
                  "cell_size_m": {
                    "type": "number",
                    "description": "Demand grid cell size, metres.",
                    "minimum": 100,
                    "maximum": 50000,
                    "default": 1000
                  },
                  "decay": {
                    "type": "string",
                    "enum": [
                      "power",
                      "exponential",
                      "step"
                    ],
                    "default": "power",
                    "description": "How attraction falls with distance."
                  },
                  "decay_exponent": {
                    "type": "number",
                    "description": "Exponent of power decay.",
                    "exclusiveMinimum": 0,
                    "maximum": 10,
                    "default": 2
                  },
                  "decay_scale_m": {
                    "type": "number",
                    "description": "Scale of exponential decay, metres.",
                    "minimum": 10,
                    "maximum": 50000,
                    "default": 1000
                  },
                  "cutoff_m": {
                    "type": "number",
                    "description": "Distance beyond which an outlet attracts no one, metres.",
                    "exclusiveMinimum": 0,
                    "maximum": 50000,
                    "default": 5000
                  },
                  "service_m": {
                    "type": "number",
                    "description": "Population within this distance of an outlet is covered, metres; more than 0 and at most `cutoff_m`. Default: the smaller of 1500 and `cutoff_m`.",
                    "exclusiveMinimum": 0,
                    "maximum": 50000
                  },
                  "outside_utility": {
                    "type": "number",
                    "description": "The outside option u₀ (customers who use no outlet nearby). Default: a new outlet's utility at the cutoff (0 for step decay).",
                    "minimum": 0
                  },
                  "weights": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "number",
                      "minimum": 0
                    },
                    "description": "Weights of the financial factors in the financial index, by factor name: gdp_per_capita, disposable_income, deposits_per_capita, finance_share, car_ownership, schooling (kebab-case and camelCase names are accepted too). Factors not given keep their standard weight; at least one weight must be positive."
                  },
                  "attractiveness": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "number",
                      "minimum": 0
                    },
                    "description": "Attractiveness by kind: the own kinds (primaryBranch, secondaryBranch, subBranch, community, selfService), `competitor.<kind>` for a competitors' kind, `branch` (competitors' branches) and `candidate` (a new site, more than 0)."
                  },
                  "candidates": {
                    "type": "string",
                    "enum": [
                      "cells",
                      "listed"
                    ],
                    "default": "cells",
                    "description": "`cells`: every populated land cell's centre; `listed`: the planner's sites (`siting import candidates`)."
                  },
                  "fixed": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "Candidate ids that must be picked."
                  },
                  "exclude": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "Candidate ids that must not be picked."
                  },
                  "min_spacing_m": {
                    "type": "number",
                    "description": "Minimum distance between two picks, metres.",
                    "minimum": 0,
                    "default": 0
                  },
                  "min_spacing_own_m": {
                    "type": "number",
                    "description": "Minimum distance from a pick to the bank's own outlets, metres.",
                    "minimum": 0,
                    "default": 0
                  },
                  "region_caps": {
                    "type": "object",
                    "propertyNames": {
                      "pattern": "^[0-9]{6}$"
                    },
                    "additionalProperties": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "description": "At most this many picks in a region, by 6-digit adcode at any level."
                  },
                  "swap_rounds": {
                    "type": "integer",
                    "minimum": 0,
                    "default": 2,
                    "description": "Rounds of swap refinement after the greedy picks."
                  }
                },
                "examples": [
                  {
                    "region": "330106",
                    "sites": 2
                  },
                  {
                    "bbox": [
                      121.3,
                      31.1,
                      121.6,
                      31.3
                    ],
                    "sites": 5,
                    "decay": "exponential",
                    "decay_scale_m": 800
                  }
                ]
              },
              "RankingParameters": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "decay",
                  "cutoff_meters",
                  "minimum_distance_meters",
                  "service_meters",
                  "outside_utility",
                  "candidate_attractiveness",
                  "own_attractiveness",
                  "competitor_attractiveness",
                  "weights",
                  "urban_density_per_km2",
                  "candidates",
                  "min_spacing_meters",
                  "min_spacing_own_meters",
                  "region_caps",
                  "fixed",
                  "excluded",
                  "swap_rounds"
                ],
                "properties": {
                  "decay": {
                    "type": "string",
                    "enum": [
                      "power",
                      "exponential",
                      "step"
                    ]
                  },
                  "decay_exponent": {
                    "type": "number",
                    "description": "Present for power decay."
                  },
                  "decay_scale_meters": {
                    "type": "number",
                    "description": "Present for exponential decay."
                  },
                  "cutoff_meters": {
                    "type": "number"
                  },
                  "minimum_distance_meters": {
                    "type": "number"
                  },
                  "service_meters": {
                    "type": "number"
                  },
                  "outside_utility": {
                    "type": "number"
                  },
                  "candidate_attractiveness": {
                    "type": "number"
                  },
                  "own_attractiveness": {
                    "type": "object",
                    "propertyNames": {
                      "enum": [
                        "primaryBranch",
                        "secondaryBranch",
                        "subBranch",
                        "community",
                        "selfService"
                      ]
                    },
                    "additionalProperties": {
                      "type": "number"
                    }
                  },
                  "competitor_attractiveness": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "number"
                    },
                    "description": "By competitor kind; `*` is the default."
                  },
                  "weights": {
                    "type": "object",
                    "propertyNames": {
                      "enum": [
                        "gdp_per_capita",
                        "disposable_income",
                        "deposits_per_capita",
                        "finance_share",
                        "car_ownership",
                        "schooling"
                      ]
                    },
                    "additionalProperties": {
                      "type": "number"
                    }
                  },
                  "urban_density_per_km2": {
                    "type": "number"
                  },
                  "candidates": {
                    "type": "string",
                    "enum": [
                      "cells",
                      "listed"
                    ]
                  },
                  "min_spacing_meters": {
                    "type": "number"
                  },
                  "min_spacing_own_meters": {
                    "type": "number"
                  },
                  "region_caps": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "integer"
                    }
                  },
                  "fixed": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "excluded": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "swap_rounds": {
                    "type": "integer",
                    "minimum": 0
                  }
                }
              },
              "RankingPick": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "pick",
                  "id",
                  "lng",
                  "lat",
                  "region_path",
                  "cell_population",
                  "cell_demand",
                  "gross_capture",
                  "cannibalization",
                  "won_from_competitors",
                  "new_to_market",
                  "net_gain",
                  "newly_covered_population",
                  "fixed"
                ],
                "properties": {
                  "pick": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "1 for the first pick."
                  },
                  "id": {
                    "type": "string",
                    "description": "The candidate id (a demand cell `c<row>-<column>` or a listed site)."
                  },
                  "lng": {
                    "type": "number",
                    "minimum": -180,
                    "maximum": 180
                  },
                  "lat": {
                    "type": "number",
                    "minimum": -90,
                    "maximum": 90
                  },
                  "adcode": {
                    "$ref": "#/components/schemas/Adcode"
                  },
                  "region": {
                    "type": "string"
                  },
                  "region_path": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "Region names from the province down."
                  },
                  "cell_population": {
                    "type": "number"
                  },
                  "cell_demand": {
                    "type": "number"
                  },
                  "gross_capture": {
                    "type": "number"
                  },
                  "cannibalization": {
                    "type": "number"
                  },
                  "won_from_competitors": {
                    "type": "number"
                  },
                  "new_to_market": {
                    "type": "number"
                  },
                  "net_gain": {
                    "type": "number",
                    "description": "Gross capture minus cannibalization, demand units."
                  },
                  "newly_covered_population": {
                    "type": "number"
                  },
                  "fixed": {
                    "type": "boolean"
                  }
                }
              },
              "RankingReport": {
                "type": "object",
                "additionalProperties": false,
                "description": "The plan and its breakdown: the JSON of `siting rank --format json` (demand in demand units, population × financial index; distances in metres; positions WGS84). The ranking is not stored.",
                "required": [
                  "area",
                  "sites",
                  "population_source",
                  "cell_size_meters",
                  "cells",
                  "candidates",
                  "total_population",
                  "total_demand",
                  "objective_before",
                  "objective",
                  "gain",
                  "upper_bound",
                  "within_percent_of_optimal",
                  "swaps",
                  "evaluations",
                  "stage_seconds",
                  "parameters",
                  "picks",
                  "outlet_losses"
                ],
                "properties": {
                  "area": {
                    "type": "string",
                    "description": "The region's adcode, or `bbox:west,south,east,north`."
                  },
                  "sites": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "population_source": {
                    "type": "string",
                    "enum": [
                      "raster",
                      "region totals",
                      "settlements"
                    ]
                  },
                  "cell_size_meters": {
                    "type": "number"
                  },
                  "cells": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "candidates": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "total_population": {
                    "type": "number"
                  },
                  "total_demand": {
                    "type": "number"
                  },
                  "objective_before": {
                    "type": "number"
                  },
                  "objective": {
                    "type": "number"
                  },
                  "gain": {
                    "type": "number"
                  },
                  "upper_bound": {
                    "type": "number",
                    "description": "A bound on the best objective any plan of this size reaches."
                  },
                  "within_percent_of_optimal": {
                    "type": "number",
                    "minimum": 0,
                    "description": "100·(1 − gain ÷ bound on the best gain)."
                  },
                  "swaps": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "evaluations": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "stage_seconds": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "number"
                    },
                    "description": "Seconds per stage (`surface`, `market`, `plan`)."
                  },
                  "parameters": {
                    "$ref": "#/components/schemas/RankingParameters"
                  },
                  "picks": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/RankingPick"
                    }
                  },
                  "outlet_losses": {
                    "type": "array",
                    "maxItems": 20,
                    "description": "The bank's outlets that lose the most demand to the plan, largest loss first.",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "id",
                        "name",
                        "capture_before",
                        "demand_lost"
                      ],
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "name": {
                          "type": "string"
                        },
                        "capture_before": {
                          "type": "number"
                        },
                        "demand_lost": {
                          "type": "number"
                        }
                      }
                    }
                  }
                }
              },
              "OpenAPIDocument": {
                "type": "object",
                "required": [
                  "openapi",
                  "info",
                  "paths"
                ],
                "properties": {
                  "openapi": {
                    "const": "3.1.0"
                  }
                }
              }
            },
            "responses": {
              "NotModified": {
                "description": "Not Modified: the `If-None-Match` tag (weak comparison, or `*`) matches the current answer. No body.",
                "headers": {
                  "ETag": {
                    "$ref": "#/components/headers/ETag"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlPublic"
                  },
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  }
                }
              },
              "BadRequest": {
                "description": "Bad Request: a required parameter is missing, a value does not parse or is out of range, a single-valued parameter is repeated, a parameter or body field is unknown (the `detail` lists the known names), or the body is not a JSON object.",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 400
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:missing-parameter",
                                "urn:siting:problem:invalid-parameter",
                                "urn:siting:problem:unknown-parameter",
                                "urn:siting:problem:malformed-body"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "Unauthorized": {
                "description": "Unauthorized: the `Authorization: Bearer TOKEN` header is missing or wrong.",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  },
                  "WWW-Authenticate": {
                    "$ref": "#/components/headers/WWWAuthenticate"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 401
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:unauthorized"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "OutletNotFound": {
                "description": "Not Found: no outlet has this id (`outlet-not-found`).",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 404
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:outlet-not-found",
                                "urn:siting:problem:not-found"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "AdminDisabled": {
                "description": "Not Found: the server was started without `--admin-token`, so the admin routes are off (`not-found`).",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 404
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:outlet-not-found",
                                "urn:siting:problem:not-found"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "MethodNotAllowed": {
                "description": "Method Not Allowed: the path exists but not for this method; `Allow` lists the methods it answers.",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  },
                  "Allow": {
                    "$ref": "#/components/headers/Allow"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 405
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:method-not-allowed"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "ContentTooLarge": {
                "description": "Content Too Large: the body is larger than 65536 bytes (`body-too-large`), or the area has more demand cells than the server ranks per request (`ranking-too-large`, 250000 by default, `parameter` is `region`).",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 413
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:body-too-large",
                                "urn:siting:problem:ranking-too-large"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "UnsupportedMediaType": {
                "description": "Unsupported Media Type: a `Content-Type` other than `application/json` (a missing `Content-Type` is read as JSON).",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 415
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:unsupported-media-type"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "UnprocessableContent": {
                "description": "Unprocessable Content: the ranking cannot run with these values (unknown region, no demand in the area, out-of-range model values, both or neither of `region` and `bbox`); `parameter` names the body field when one is to blame.",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 422
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:ranking-refused"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "TooManyRequests": {
                "description": "Too Many Requests: every ranking slot is busy (1 ranking at a time by default). A ranking that overran its time budget keeps its slot until it ends.",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  },
                  "Retry-After": {
                    "$ref": "#/components/headers/RetryAfter"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 429
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:ranking-busy"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "ServiceUnavailable": {
                "description": "Service Unavailable: the data could not be loaded or the answer not encoded (`data-unavailable`), or a ranking did not finish within its time budget (`ranking-timed-out`, 60 s by default).",
                "headers": {
                  "X-Request-Id": {
                    "$ref": "#/components/headers/XRequestId"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  },
                  "Retry-After": {
                    "$ref": "#/components/headers/RetryAfter"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 503
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:ranking-timed-out",
                                "urn:siting:problem:data-unavailable"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "InternalServerError": {
                "description": "Internal Server Error: an unexpected failure; the server log has the request id.",
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/CacheControlNoStore"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Problem"
                        },
                        {
                          "properties": {
                            "status": {
                              "const": 500
                            },
                            "type": {
                              "enum": [
                                "urn:siting:problem:internal"
                              ]
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              }
            },
            "parameters": {
              "lat": {
                "name": "lat",
                "in": "query",
                "required": true,
                "description": "Latitude of the caller, degrees, in `coordsys`.",
                "schema": {
                  "type": "number",
                  "minimum": -90,
                  "maximum": 90,
                  "examples": [
                    31.236
                  ]
                }
              },
              "lng": {
                "name": "lng",
                "in": "query",
                "required": true,
                "description": "Longitude of the caller, degrees, in `coordsys`.",
                "schema": {
                  "type": "number",
                  "minimum": -180,
                  "maximum": 180,
                  "examples": [
                    121.485
                  ]
                }
              },
              "coordsys": {
                "name": "coordsys",
                "in": "query",
                "required": false,
                "description": "The coordinate system of `lat`/`lng` and of each result's `position` (`position_wgs84` is always WGS84). Case is ignored, and the aliases `wgs-84`, `EPSG:4326`, `cgcs-2000`, `EPSG:4490`, `gcj-02`, `gcj`, `bd-09`, `bd09ll` and `baidu` are accepted; anything else is 400.",
                "schema": {
                  "type": "string",
                  "enum": [
                    "wgs84",
                    "cgcs2000",
                    "gcj02",
                    "bd09"
                  ],
                  "default": "wgs84"
                }
              },
              "radius": {
                "name": "radius",
                "in": "query",
                "required": false,
                "description": "A hard distance cap, metres (ellipsoidal distance). Without it the nearest `limit` outlets are returned however far they are.",
                "schema": {
                  "type": "number",
                  "exclusiveMinimum": 0,
                  "maximum": 50000
                }
              },
              "limit": {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "Most results to return.",
                "schema": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 100,
                  "default": 20
                }
              },
              "kind": {
                "name": "kind",
                "in": "query",
                "required": false,
                "style": "form",
                "explode": true,
                "description": "Keep only outlets of these kinds. Repeat the parameter or separate values with commas; case, `-` and `_` are ignored (`sub-branch` is `subBranch`). Several values: any of them.",
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "string",
                    "enum": [
                      "primaryBranch",
                      "secondaryBranch",
                      "subBranch",
                      "community",
                      "selfService"
                    ]
                  }
                }
              },
              "service": {
                "name": "service",
                "in": "query",
                "required": false,
                "style": "form",
                "explode": true,
                "description": "Keep only outlets that offer every one of these services (`selfService`: at least one self-service device; `smartCounter`: at least one smart counter). Repeat the parameter or separate values with commas; case, `-` and `_` are ignored (`sub-branch` is `subBranch`). Several values: all of them.",
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "string",
                    "enum": [
                      "cash",
                      "wealthManagement",
                      "foreignExchange",
                      "selfService",
                      "smartCounter"
                    ]
                  }
                }
              },
              "accessible": {
                "name": "accessible",
                "in": "query",
                "required": false,
                "style": "form",
                "explode": true,
                "description": "Keep only outlets where every one of these features is known to be present (`yes`, not `unknown`). Repeat the parameter or separate values with commas; case, `-` and `_` are ignored (`sub-branch` is `subBranch`). Several values: all of them.",
                "schema": {
                  "type": "array",
                  "items": {
                    "type": "string",
                    "enum": [
                      "wheelchair",
                      "visuallyImpaired",
                      "hearingImpaired",
                      "elderly"
                    ]
                  }
                }
              },
              "open_now": {
                "name": "open_now",
                "in": "query",
                "required": false,
                "description": "Keep only outlets whose counters are open at `at`. `true`/`false`; `1`/`0`, `yes`/`no` and an empty value (true) are accepted too.",
                "schema": {
                  "type": "boolean",
                  "default": false
                }
              },
              "at": {
                "name": "at",
                "in": "query",
                "required": false,
                "description": "The instant for `open_now`, `hours_today`, `next_open` and `next_close`: ISO 8601 with a zone (`2026-05-01T09:30:00+08:00`, `…Z`), fractional seconds allowed; encode `+` as `%2B`. Default: now. Answers for a given `at` are cached for 300 s.",
                "schema": {
                  "type": "string",
                  "format": "date-time",
                  "examples": [
                    "2026-05-01T09:30:00+08:00"
                  ]
                }
              },
              "format": {
                "name": "format",
                "in": "query",
                "required": false,
                "description": "`json` (`application/json`) or `geojson` (an RFC 7946 FeatureCollection, `application/geo+json`).",
                "schema": {
                  "type": "string",
                  "enum": [
                    "json",
                    "geojson"
                  ],
                  "default": "json"
                }
              },
              "outletCoordsys": {
                "name": "coordsys",
                "in": "query",
                "required": false,
                "description": "The coordinate system of `position` (`position_wgs84` is always WGS84); the same names and aliases as for nearby.",
                "schema": {
                  "type": "string",
                  "enum": [
                    "wgs84",
                    "cgcs2000",
                    "gcj02",
                    "bd09"
                  ],
                  "default": "wgs84"
                }
              },
              "outletId": {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The outlet id, as in nearby results; one path segment, percent-encoded where RFC 3986 requires it (the server decodes it).",
                "schema": {
                  "type": "string",
                  "minLength": 1,
                  "examples": [
                    "O00356"
                  ]
                }
              },
              "ifNoneMatch": {
                "name": "If-None-Match",
                "in": "header",
                "required": false,
                "description": "An `ETag` from an earlier answer (or a list of them, or `*`): 304 when it still matches.",
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "ETag": {
                "description": "`\"d<data version>-<FNV-1a 64 of the body, hex>\"`: send it back in `If-None-Match` to get 304 while neither the data nor the answer changed.",
                "required": true,
                "schema": {
                  "type": "string",
                  "pattern": "^\"d[0-9]+-[0-9a-f]+\"$"
                }
              },
              "CacheControlPublic": {
                "description": "`public, max-age=N` (nearby: at most 60 s, cut to the first opening or closing among the results; 300 s when `at` is given; outlet detail 300 s; this document 3600 s), or `no-cache` when a nearby answer about now may change at once.",
                "required": true,
                "schema": {
                  "type": "string",
                  "pattern": "^(public, max-age=[0-9]+|no-cache)$"
                }
              },
              "CacheControlNoStore": {
                "description": "`no-store`.",
                "required": true,
                "schema": {
                  "type": "string",
                  "const": "no-store"
                }
              },
              "XRequestId": {
                "description": "The request's id, also in the server's log line and in problem documents (`request_id`).",
                "required": true,
                "schema": {
                  "type": "string",
                  "minLength": 1
                }
              },
              "Allow": {
                "description": "The methods the path answers: `GET, HEAD` or `POST`.",
                "required": true,
                "schema": {
                  "type": "string",
                  "enum": [
                    "GET, HEAD",
                    "POST"
                  ]
                }
              },
              "WWWAuthenticate": {
                "description": "`Bearer`.",
                "required": true,
                "schema": {
                  "type": "string",
                  "const": "Bearer"
                }
              },
              "RetryAfter": {
                "description": "Seconds to wait before retrying.",
                "required": true,
                "schema": {
                  "type": "string",
                  "pattern": "^[0-9]+$"
                }
              }
            },
            "securitySchemes": {
              "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "The token given to `siting serve --admin-token` (or `SITING_ADMIN_TOKEN`), at least 16 characters: `Authorization: Bearer TOKEN`."
              }
            }
          }
        }
        """#
}

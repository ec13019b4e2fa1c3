"""The reference review server: FastAPI over SQLAlchemy (SQLite by default, PostgreSQL by URL).

It serves the wire protocol of `reviewer.protocol`. Nothing in the client imports this
package except `reviewer demo` (through `server.embedded`) and the tests.
"""

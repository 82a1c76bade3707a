"""coldsweat (the Fever API server) as tidings' sync tests run it: the released package, unchanged,
with two settings a private test instance needs and one command.

- Feeds are fetched whenever asked (coldsweat skips a feed checked in the last 3 minutes), so a
  test can add items to a feed and have the server take them at once.
- No favicons: coldsweat asks an outside icon service for each feed's site, and the tests reach
  nothing but this machine.
- `flask setup` of a second user keeps the first one's subscriptions: coldsweat's own setup
  writes its built-in groups again with INSERT OR REPLACE, which deletes them first, and the
  foreign keys' ON DELETE CASCADE then deletes every subscription filed in them (the "Default"
  group holds every feed imported outside a folder). Here the groups are only added if missing.
- `flask refresh URL...` fetches those feeds now (`flask fetch` fetches every feed).

Used as FLASK_APP by start-coldsweat.sh and coldsweat-flask.sh beside it.
"""

import click
import coldsweat
import coldsweat.feed
import coldsweat.fetcher
import coldsweat.models as models
from coldsweat.models import Feed

coldsweat.fetcher.MIN_FETCH_INTERVAL = 0
coldsweat.fetcher.Fetcher._fetch_icon = lambda self: None


def setup():
    with models.db_wrapper.database as database:
        database.create_tables(
            [models.User, models.Feed, models.Entry, models.Group, models.Read, models.Saved, models.Subscription],
            safe=True,
        )
    models.Group.insert_many(models.BUILTIN_GROUPS).on_conflict_ignore().execute()


models.setup = setup


def create_app():
    app = coldsweat.create_app()

    @app.cli.command("refresh", help="Fetch the feeds with these addresses now.")
    @click.argument("urls", nargs=-1, required=True)
    def refresh(urls):
        feeds = list(Feed.select().where(Feed.self_link << list(urls)))
        if len(feeds) != len(set(urls)):
            raise click.ClickException("not every address is a feed of this server")
        coldsweat.feed.fetch_feeds(feeds)

    return app

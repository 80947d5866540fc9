"""DBK501's AWS clients (boto3): a client made by ``boto3.client(service)`` (or a session's
``client``) is a class botocore builds at runtime, one method an operation, each a request
sent and answered. What an operation returns is a dict, read in memory, but for the
operations that stream a payload: ``get_object``'s ``Body`` is a ``StreamingBody`` that
reads the response's socket as it is read, after the call returned; a paginator's pages
are requested as they are iterated, and a waiter polls.

A resource made by ``boto3.resource(service)`` (or a session's ``resource``) is a class
boto3 builds at runtime too: its methods named with a capital letter make a sub-resource
or a reference without a request (``s3.Bucket(name)``, ``s3.Object(bucket, key)``,
``table.meta``'s are attributes), every other method is an action, a request sent and
answered (``get``, ``put``, ``load``, ``upload_file``, ``put_item``, ``wait_until_exists``).
Its collections (``bucket.objects``) are attributes: ``all``, ``filter``, ``limit``,
``page_size``, ``iterator`` and ``pages`` make a collection without a request; iterating
it requests a page at a time, and its other methods are batch actions, requests
(``bucket.objects.delete()``; ``_BATCH_ACTIONS``: those of boto3's resource models, which a
collection's attribute takes too). ``meta.client`` is the resource's client. A resource
made without data loads it as one of its shape's attributes is read (``boto3_loaded``)."""

from deblock.rules.boto3_loaded import LOADED
from deblock.rules.model import Blocking, LoadedOnRead, Returns

RULES = ()  # the findings are DBK501's (``network``)

CLIENT = "botocore.client.BaseClient"
STREAMING_BODY = "botocore.response.StreamingBody"
_MAKERS = ("boto3.client", "boto3.session.Session.client", "boto3.Session.client")
RESOURCE = "boto3.resources.base.ServiceResource"
_RESOURCE_MAKERS = ("boto3.resource", "boto3.session.Session.resource", "boto3.Session.resource")
# A resource's methods that send no request: the names of its sub-resources.
_RESOURCE_NO_REQUEST = ("get_available_subresources",)
# The methods that make a collection (``pages`` too: a generator, requesting as it is
# iterated), and the batch actions of boto3 1.44's resource models.
_COLLECTIONS = ("all", "filter", "limit", "page_size", "iterator", "pages")
_BATCH_ACTIONS = (
    "delete",
    "create_tags",
    "monitor",
    "reboot",
    "start",
    "stop",
    "terminate",
    "unmonitor",
    "disable_actions",
    "enable_actions",
)
# S3's object resources whose ``get`` is ``get_object``: its ``Body`` a stream (made by
# the service resource, or by a bucket).
_RESOURCE_OBJECTS = ("Object", "ObjectSummary", "ObjectVersion", "Bucket.Object")
# A client's methods that send no request: URLs and forms signed on the client, a
# paginator or a waiter made (each sends its requests as it is iterated or waits).
_NO_REQUEST = (
    "generate_presigned_url",
    "generate_presigned_post",
    "can_paginate",
    "get_paginator",
    "get_waiter",
)
# The operations whose answer holds a stream (the item and the operation's output class):
# its body is read from the connection after the call returns.
_STREAMED = {
    "get_object": "botocore.response.GetObjectOutput",
    "get_object_torrent": "botocore.response.GetObjectTorrentOutput",
    "invoke": "botocore.response.InvokeOutput",  # Lambda's ``Payload``
}
_STREAM_ITEMS = {"get_object": "Body", "get_object_torrent": "Body", "invoke": "Payload"}
# A paginator is made without a request; what its ``paginate`` returns sends one request a
# page as it is iterated (a lazy result), and its ``build_full_result`` all of them. A
# waiter's ``wait`` polls its operation, sleeping between requests.
PAGINATOR = "botocore.paginate.Paginator"
PAGE_ITERATOR = "botocore.paginate.PageIterator"
WAITER = "botocore.waiter.Waiter"
_STREAM_READS = ("read", "readlines", "iter_chunks", "iter_lines", "__iter__")

BLOCKING = (
    Blocking(f"{CLIENT}.*", "DBK501", unless_methods=_NO_REQUEST, methods_only=True),
    *(Blocking(f"{STREAMING_BODY}.{name}", "DBK501") for name in _STREAM_READS),
    Blocking(f"{PAGINATOR}.paginate", "DBK501", lazy_result=True),
    Blocking(f"{PAGE_ITERATOR}.search", "DBK501", lazy_result=True),
    Blocking(f"{PAGE_ITERATOR}.build_full_result", "DBK501"),
    Blocking(f"{WAITER}.wait", "DBK501"),
    # a DynamoDB table's batch writer is made without a request; it sends its items as
    # they gather and the rest at the exit of the ``with`` block entering it
    Blocking(f"{RESOURCE}.Table.batch_writer", "DBK501", only_entered=True),
    Blocking(
        f"{RESOURCE}.*",
        "DBK501",
        unless_methods=_RESOURCE_NO_REQUEST,
        methods_only=True,
        chained_capitalised=True,
        collections=_COLLECTIONS,
        batch_actions=_BATCH_ACTIONS,
    ),
)

RETURNS = (
    *(Returns(maker, CLIENT) for maker in _MAKERS),
    *(Returns(maker, RESOURCE) for maker in _RESOURCE_MAKERS),
    Returns(f"{RESOURCE}.meta.client", CLIENT, attribute=True),
    Returns(f"{CLIENT}.get_paginator", PAGINATOR),
    Returns(f"{CLIENT}.get_waiter", WAITER),
    Returns(f"{PAGINATOR}.paginate", PAGE_ITERATOR),
    *(Returns(f"{CLIENT}.{operation}", output) for operation, output in _STREAMED.items()),
    *(Returns(f"{RESOURCE}.{item}.get", _STREAMED["get_object"]) for item in _RESOURCE_OBJECTS),
    *(
        Returns(f"{output}['{_STREAM_ITEMS[operation]}']", STREAMING_BODY, attribute=True)
        for operation, output in _STREAMED.items()
    ),
    *(LoadedOnRead(f"{RESOURCE}.{name}", tuple(names.split())) for name, names in LOADED.items()),
)

"""DCAT-AP 3.0.1 description of the catalog (``/catalog.jsonld``, ``/catalog.ttl``).

One graph per publish: the catalog with its publisher, licence, spatial coverage (one
``dct:Location`` per county of the branch's district) and the three classification schemes
as ``dcat:themeTaxonomy`` concept schemes; each dataset with
its themes, contact point, temporal coverage, EU frequency, landing page and one
distribution per download format (CSV, JSON, SQLite). Every node carries the class the
DCAT-AP range shapes expect, so the graph validates without the vocabulary imports.
Texts are given in zh-Hant and, where metadata.yml or the definition has them, in English.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from publish.catalog import PublishedDataset, temporal_coverage
from publish.downloads import CSV_PATH, JSON_PATH

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_AVAILABILITY = Namespace(
    "http://publications.europa.eu/resource/authority/planned-availability/"
)
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
ADMS_LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"

FREQUENCIES = {
    "daily": EU_FREQUENCY.DAILY,
    "weekly": EU_FREQUENCY.WEEKLY,
    "monthly": EU_FREQUENCY.MONTHLY,
    "yearly": EU_FREQUENCY.ANNUAL,
    "irregular": EU_FREQUENCY.IRREG,
}
SCHEME_TITLES = {
    "topic": ("主題分類", "Topic classification"),
    "policy": ("施政分類", "Policy classification"),
    "service": ("服務分類", "Service classification"),
}
ZH, EN = "zh-Hant", "en"
JSONLD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "vcard": str(VCARD),
    "locn": str(LOCN),
    "dcatap": str(DCATAP),
    "xsd": str(XSD),
}


def _typed(graph: Graph, node, *classes) -> URIRef | BNode:
    for cls in classes:
        graph.add((node, RDF.type, cls))
    return node


def _datetime(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime)


def _texts(graph: Graph, node, predicate, zh: str, en: str | None) -> None:
    """``predicate`` of ``node`` in zh-Hant, and in English when there is an English text."""
    graph.add((node, predicate, Literal(zh, lang=ZH)))
    if en:
        graph.add((node, predicate, Literal(en, lang=EN)))


def _concept(graph: Graph, uri: URIRef, label: str) -> URIRef:
    _typed(graph, uri, SKOS.Concept)
    graph.add((uri, SKOS.prefLabel, Literal(label, lang=EN)))
    return uri


def catalog_graph(portal) -> Graph:
    """The DCAT-AP graph of the publish ``portal`` (a PortalContext) serves."""
    base = portal.settings.public_url.rstrip("/")
    meta, catalog = portal.metadata, portal.catalog
    graph = Graph()
    for prefix, namespace in JSONLD_CONTEXT.items():
        graph.bind(prefix, namespace)

    catalog_node = _typed(graph, URIRef(f"{base}/catalog"), DCAT.Catalog)
    _texts(graph, catalog_node, DCTERMS.title, meta.datasette["title"], meta.portal.get("title_en"))
    _texts(
        graph,
        catalog_node,
        DCTERMS.description,
        meta.datasette["description"],
        meta.portal.get("description_en"),
    )
    publisher = publisher_node(graph, base, meta.publisher)
    graph.add((catalog_node, DCTERMS.publisher, publisher))
    graph.add(
        (catalog_node, DCTERMS.language, _typed(graph, EU_LANGUAGE.ZHO, DCTERMS.LinguisticSystem))
    )
    graph.add(
        (catalog_node, DCTERMS.issued, Literal(str(meta.portal["issued"]), datatype=XSD.date))
    )
    if catalog.generated_at:
        graph.add((catalog_node, DCTERMS.modified, _datetime(catalog.generated_at)))
    default_licence = licence_node(
        graph, meta.licence(meta.portal.get("default_licence", "ogdl-tw-1"))
    )
    graph.add((catalog_node, DCTERMS.license, default_licence))
    spatial = [spatial_node(graph, area) for area in meta.portal["spatial"]]
    for area in spatial:
        graph.add((catalog_node, DCTERMS.spatial, area))
    graph.add((catalog_node, FOAF.homepage, _typed(graph, URIRef(f"{base}/"), FOAF.Document)))
    for scheme, (title_zh, title_en) in SCHEME_TITLES.items():
        scheme_node = _typed(graph, URIRef(f"{base}/categories/{scheme}"), SKOS.ConceptScheme)
        _texts(graph, scheme_node, DCTERMS.title, title_zh, title_en)
        graph.add((catalog_node, DCAT.themeTaxonomy, scheme_node))
        for category in catalog.taxonomies.get(scheme, {}).values():
            concept = _typed(
                graph, URIRef(f"{base}/categories/{scheme}/{quote(category.code)}"), SKOS.Concept
            )
            _texts(graph, concept, SKOS.prefLabel, category.name, category.name_en)
            graph.add((concept, SKOS.notation, Literal(category.code)))
            graph.add((concept, SKOS.inScheme, scheme_node))

    contact = contact_node(graph, base, meta.portal["contact"])
    for dataset in catalog.datasets:
        graph.add(
            (
                catalog_node,
                DCAT.dataset,
                dataset_node(graph, portal, base, dataset, publisher, contact, spatial),
            )
        )
    return graph


def publisher_node(graph: Graph, base: str, publisher: dict) -> URIRef:
    node = _typed(graph, URIRef(publisher.get("uri") or f"{base}/#publisher"), FOAF.Agent)
    _texts(graph, node, FOAF.name, publisher["name"], publisher.get("name_en"))
    graph.add(
        (
            node,
            DCTERMS.type,
            _concept(graph, ADMS_PUBLISHER_TYPE.NationalAuthority, "National authority"),
        )
    )
    return node


def licence_node(graph: Graph, licence) -> URIRef:
    node = _typed(graph, URIRef(licence.url), DCTERMS.LicenseDocument)
    _texts(graph, node, DCTERMS.title, licence.name, licence.name_en)
    graph.add((node, DCTERMS.type, _concept(graph, ADMS_LICENCE_TYPE.Attribution, "Attribution")))
    return node


def spatial_node(graph: Graph, spatial: dict) -> URIRef | BNode:
    """One area of metadata.yml's ``portal.spatial``: its URI if it has one, else a blank node."""
    node = _typed(
        graph, URIRef(spatial["uri"]) if spatial.get("uri") else BNode(), DCTERMS.Location
    )
    _texts(graph, node, SKOS.prefLabel, spatial["name"], spatial.get("name_en"))
    if spatial.get("code"):
        graph.add((node, DCTERMS.identifier, Literal(spatial["code"])))
    graph.add((node, DCAT.bbox, Literal(spatial["bbox"], datatype=GSP.wktLiteral)))
    graph.add((node, DCAT.centroid, Literal(spatial["centroid"], datatype=GSP.wktLiteral)))
    return node


def contact_node(graph: Graph, base: str, contact: dict) -> URIRef:
    node = _typed(graph, URIRef(f"{base}/#contact"), VCARD.Kind, VCARD.Organization)
    _texts(graph, node, VCARD.fn, contact["name"], contact.get("name_en"))
    graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{contact['email']}")))
    if contact.get("phone"):
        graph.add((node, VCARD.hasTelephone, URIRef(f"tel:{contact['phone'].replace(' ', '')}")))
    return node


DISTRIBUTIONS = (
    # (id, zh and English titles, EU file type, IANA media type, URL from the table or database)
    ("csv", ("CSV（UTF-8）", "CSV (UTF-8)"), EU_FILE_TYPE.CSV, "text/csv", "{base}" + CSV_PATH),
    ("json", ("JSON", "JSON"), EU_FILE_TYPE.JSON, "application/json", "{base}" + JSON_PATH),
    ("sqlite", ("SQLite", "SQLite"), None, "application/vnd.sqlite3", "{database}.db"),
)


def dataset_node(
    graph, portal, base, dataset: PublishedDataset, publisher, contact, spatial
) -> URIRef:
    definition = dataset.definition
    landing_page = f"{base}/datasets/{dataset.name}"
    node = _typed(graph, URIRef(landing_page), DCAT.Dataset)
    graph.add((node, DCTERMS.identifier, Literal(dataset.name)))
    _texts(graph, node, DCTERMS.title, definition.title, definition.title_en)
    _texts(graph, node, DCTERMS.description, definition.description, definition.description_en)
    for keyword in definition.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang=ZH)))
    for keyword in definition.keywords_en:
        graph.add((node, DCAT.keyword, Literal(keyword, lang=EN)))
    for scheme in SCHEME_TITLES:
        for code in dataset.categories(scheme):
            graph.add((node, DCAT.theme, URIRef(f"{base}/categories/{scheme}/{quote(code)}")))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.contactPoint, contact))
    for area in spatial:
        graph.add((node, DCTERMS.spatial, area))
    graph.add((node, DCAT.landingPage, _typed(graph, URIRef(landing_page), FOAF.Document)))
    frequency = FREQUENCIES.get(definition.update_frequency, EU_FREQUENCY.IRREG)
    graph.add((node, DCTERMS.accrualPeriodicity, _typed(graph, frequency, DCTERMS.Frequency)))
    if dataset.updated_at:
        graph.add((node, DCTERMS.modified, _datetime(dataset.updated_at)))
    graph.add((node, DCTERMS.language, EU_LANGUAGE.ZHO))
    coverage = temporal_coverage(dataset)
    if coverage:
        period = _typed(graph, URIRef(f"{landing_page}#temporal"), DCTERMS.PeriodOfTime)
        graph.add((period, DCAT.startDate, Literal(coverage[0], datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(coverage[1], datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
    licence = licence_node(graph, portal.metadata.licence(definition.license))
    table, database = f"{base}/{dataset.name}/{dataset.name}", f"{base}/{dataset.name}"
    for key, (title, title_en), file_type, media_type, path in DISTRIBUTIONS:
        distribution = _typed(graph, URIRef(f"{landing_page}#{key}"), DCAT.Distribution)
        url = URIRef(path.format(table=table, database=database, base=base, name=dataset.name))
        _texts(graph, distribution, DCTERMS.title, title, title_en)
        _texts(
            graph,
            distribution,
            DCTERMS.description,
            f"{definition.title}，{title} 格式",
            f"{definition.title_en}, {title_en} format" if definition.title_en else None,
        )
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.downloadURL, url))
        media = _typed(
            graph, URIRef(IANA_MEDIA + media_type), DCTERMS.MediaType, DCTERMS.MediaTypeOrExtent
        )
        graph.add((distribution, DCAT.mediaType, media))
        graph.add(
            (
                distribution,
                DCTERMS.format,
                _typed(graph, file_type, DCTERMS.MediaTypeOrExtent) if file_type else media,
            )
        )
        graph.add((distribution, DCTERMS.license, licence))
        graph.add(
            (distribution, DCATAP.availability, _concept(graph, EU_AVAILABILITY.STABLE, "Stable"))
        )
        if dataset.updated_at:
            graph.add((distribution, DCTERMS.modified, _datetime(dataset.updated_at)))
        graph.add((node, DCAT.distribution, distribution))
    return node


def to_jsonld(graph: Graph) -> str:
    return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)

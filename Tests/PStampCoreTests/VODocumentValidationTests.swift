import Foundation
import PStampCore
import PStampTestSupport
import Testing

/// The documents of the VO face read back by the clients astronomers use: astropy's VOTable parser (in
/// its strictest mode), pyvo's DAL results, DataLink, UWS and VOSI parsers. Skipped only when python3
/// with astropy and pyvo is missing and PSTAMP_REQUIRE_VO is unset (`make deps` installs them; CI sets it).
@Suite(.enabled(if: VOClients.available, "python3 with astropy and pyvo (pip install astropy pyvo)"))
struct VODocumentValidationTests {
    static let authority = "example.org"

    func expectPasses(_ script: String, _ files: [String: String]) throws {
        let (status, output) = try VOClients.python(script, files: files)
        #expect(status == 0, "python said:\n\(output)")
        #expect(output.contains("ok"), "python said:\n\(output)")
    }

    static let records: [SIARecord] = [
        SIARecord(
            id: VOImageID(stage: .warp, id: 1001, component: "skycell.1.2"), accessURL: "http://h/ds/w&1.fits", accessSizeKB: 5000,
            footprint: VOFootprintTests.square(ra: 150, dec: 2, half: 0.2), tMin: 55500.1, tMax: 55500.1005, exposureSeconds: 45,
            filter: "r.00000", width: 6000, height: 6000, cleaned: false),
        SIARecord(
            id: VOImageID(stage: .stack, id: 9), accessURL: "http://h/ds/s.fits",
            footprint: VOFootprintTests.square(ra: 150, dec: 2, half: 0.2),
            tMin: 55000, tMax: 56000, filter: "q <odd> & filter", cleaned: true),
    ]

    @Test func siaResultsAreAValidVOTableWithASODADescriptor() throws {
        let doc = SIAResults.votable(
            Self.records, authority: Self.authority, overflow: true, sodaSyncURL: "http://h/soda/sync", sodaAsyncURL: "http://h/soda/async")
        try expectPasses(
            """
            from astropy.io.votable import parse
            from pyvo.dal.sia2 import SIA2Results
            vot = parse('sia.xml', verify='exception')
            table = vot.get_first_table()
            names = [f.name for f in table.fields]
            for col in ['obs_publisher_did', 'access_url', 'access_format', 's_ra', 's_dec', 's_region', 't_min', 't_max',
                        'em_min', 'em_max', 'calib_level', 'dataproduct_type', 'obs_collection', 'pstamp_state']:
                assert col in names, col
            rows = table.array
            assert len(rows) == 2
            assert rows['obs_publisher_did'][0] == 'ivo://example.org/pstamp?gpc1/warp/1001/skycell.1.2'
            assert rows['access_url'][0] == 'http://h/ds/w&1.fits'
            assert abs(rows['em_min'][0] - 5.5e-7) < 1e-12 and abs(rows['em_max'][0] - 7e-7) < 1e-12
            assert rows['em_min'].mask[1], 'an unknown filter has no band'
            assert list(rows['pstamp_state']) == ['full', 'cleaned']
            assert len(rows['s_region'][0]) == 8
            assert abs(rows['s_ra'][0] - 150) < 1e-9 and rows['calib_level'][1] == 3
            assert vot.resources[0].infos[0].value == 'OVERFLOW'
            r = SIA2Results(vot, url='http://h/sia/query')
            sync = r.get_adhocservice_by_id('soda-sync')
            params = {p.name: p for p in sync.params}
            assert params['standardID'].value == 'ivo://ivoa.net/std/SODA#sync-1.0'
            assert params['accessURL'].value == 'http://h/soda/sync'
            inputs = {p.name: p for p in sync.groups[0].entries}
            assert inputs['ID'].ref == 'obs_publisher_did' and 'CIRCLE' in inputs and 'POLYGON' in inputs and 'POS' in inputs
            assert r.get_adhocservice_by_id('soda-async') is not None
            print('ok')
            """, ["sia.xml": doc])
    }

    @Test func theDALIErrorDocumentIsAnErrorToPyvo() throws {
        let doc = VOTable.error(.usage("POS CIRCLE needs 3 numbers & <more>"))
        try expectPasses(
            """
            from astropy.io.votable import parse
            from pyvo.dal.query import DALResults
            from pyvo.dal.exceptions import DALQueryError
            vot = parse('error.xml', verify='exception')
            info = vot.resources[0].infos[0]
            assert info.name == 'QUERY_STATUS' and info.value == 'ERROR', info
            try:
                DALResults(vot, url='http://h/sia/query')
                raise SystemExit('pyvo took an error document for results')
            except DALQueryError as e:
                assert 'UsageError: POS CIRCLE needs 3 numbers & <more>' in str(e), str(e)
            print('ok')
            """, ["error.xml": doc])
    }

    @Test func dataLinkLinksReadAsDatalinkResults() throws {
        let id = Self.records[0].id
        var links = DataLinkDocument.links(
            for: id, authority: Self.authority, imageURL: "http://h/ds/w1.fits",
            companions: [("#auxiliary", "mask", "http://h/ds/w1.mask.fits"), ("#auxiliary", "variance", "http://h/ds/w1.wt.fits")])
        links.append(.error(id: "ivo://example.org/pstamp?gpc1/chip/5/XY01", DALIError(.notFound, "no chip 5 XY01")))
        links.append(
            .file(id: id.uri(authority: Self.authority), url: "http://h/ds/w1.cmf", semantics: "#derivation", description: "catalogue"))
        let doc = DataLinkDocument.votable(links, sodaSyncURL: "http://h/soda/sync")
        try expectPasses(
            """
            from astropy.io.votable import parse
            from pyvo.dal.adhoc import DatalinkResults
            vot = parse('links.xml', verify='exception')
            r = DatalinkResults(vot, url='http://h/datalink/links')
            rows = list(r)
            ids = [row['ID'] for row in rows]
            assert ids[:5] == [ids[0]] * 5 and ids[5].endswith('chip/5/XY01'), ids
            assert rows[0]['semantics'] == '#this' and rows[0]['access_url'] == 'http://h/ds/w1.fits'
            assert rows[1]['service_def'] == 'soda-sync'
            assert rows[5]['error_message'] == 'NotFound: no chip 5 XY01'
            sd = r.get_adhocservice_by_id('soda-sync')
            assert {p.name: p.value for p in sd.params}['standardID'] == 'ivo://ivoa.net/std/SODA#sync-1.0'
            std = [i for i in vot.resources[0].infos if i.name == 'standardID'][0]
            assert std.value == 'ivo://ivoa.net/std/DataLink#links-1.1'
            print('ok')
            """, ["links.xml": doc])
    }

    @Test func uwsDocumentsReadWithPyvoInTheSchemaOrder() throws {
        let list = UWSJob.listXML([VOUWSTests.job, UWSJob(jobId: "43", phase: .pending)]) { "http://h/soda/async/\($0)" }
        try expectPasses(
            """
            import xml.etree.ElementTree as ET
            from pyvo.io import uws
            NS = '{http://www.ivoa.net/xml/UWS/v1.0}'
            ORDER = ['jobId', 'runId', 'ownerId', 'phase', 'quote', 'creationTime', 'startTime', 'endTime',
                     'executionDuration', 'destruction', 'parameters', 'results', 'errorSummary', 'jobInfo']
            root = ET.parse('job.xml').getroot()
            assert root.tag == NS + 'job' and root.get('version') == '1.1', root.tag
            names = [c.tag[len(NS):] for c in root]
            assert all(c.tag.startswith(NS) for c in root)
            assert names == sorted(names, key=ORDER.index), names
            for required in ['jobId', 'ownerId', 'phase', 'startTime', 'endTime', 'executionDuration', 'destruction', 'results']:
                assert required in names, required
            job = uws.parse_job('job.xml', pedantic=True)
            assert job.jobid == '42' and job.phase == 'COMPLETED' and job.runid == 'night <1>'
            assert round(job.executionduration.to_value('s')) == 600
            assert job.creationtime.isot.startswith('2026-12-03T06:51:36') and job.destruction.isot.startswith('2026-12-10')
            assert job.results[0].href == 'http://h/ds/42/1.fits?a=1&b=2' and job.results[0].id_ == 'stamp-1'
            assert job.parameters[0].content == 'ivo://example.org/pstamp?gpc1/warp/1/s&t'
            assert job.errorsummary.message.content == 'UsageError: row 2 <bad>'
            jobs = uws.parse_job_list('jobs.xml', pedantic=True)
            assert [j.jobid for j in jobs] == ['42', '43'] and jobs[1].phase == 'PENDING'
            lroot = ET.parse('jobs.xml').getroot()
            assert lroot.tag == NS + 'jobs' and lroot.get('version') == '1.1'
            results = ET.parse('results.xml').getroot()
            assert results.tag == NS + 'results' and len(results) == 1
            print('ok')
            """,
            ["job.xml": VOUWSTests.job.xml, "jobs.xml": list, "results.xml": UWSResult.listXML(VOUWSTests.job.results)])
    }

    @Test func vosiCapabilitiesAndAvailabilityReadWithPyvo() throws {
        let caps = VOSI.capabilitiesXML(VOSI.capabilities(baseURL: "http://h"))
        let up = VOSI.availabilityXML(available: true, upSince: VOUWSTests.created, notes: ["fixtures & all"])
        try expectPasses(
            """
            from pyvo.io import vosi
            caps = vosi.parse_capabilities('caps.xml')
            ids = [c.standardid for c in caps]
            for sid in ['ivo://ivoa.net/std/SIA#query-2.0', 'ivo://ivoa.net/std/SODA#sync-1.0', 'ivo://ivoa.net/std/SODA#async-1.0',
                        'ivo://ivoa.net/std/DataLink#links-1.1', 'ivo://ivoa.net/std/VOSI#capabilities', 'ivo://ivoa.net/std/VOSI#availability']:
                assert sid in ids, (sid, ids)
            sync = [c for c in caps if c.standardid.endswith('sync-1.0')][0]
            assert sync.interfaces[0].accessurls[0].content == 'http://h/soda/sync'
            av = vosi.parse_availability('avail.xml')
            assert av.available is True and av.notes[0] == 'fixtures & all', (av.available, av.notes)
            print('ok')
            """, ["caps.xml": caps, "avail.xml": up])
    }

    @Test func theRegistryRecordIsAVOResourceWithEveryCapability() throws {
        let record = VORegistryRecord(
            authority: Self.authority, title: "PStamp cut-outs & images", shortName: "PStamp", publisher: "Example Observatory",
            contactName: "Operator <ops>", contactEmail: "ops@example.org", description: "Postage stamps of the survey.",
            referenceURL: "http://h/", created: VOUWSTests.created, updated: VOUWSTests.created,
            capabilities: VOSI.capabilities(baseURL: "http://h"))
        try expectPasses(
            """
            import xml.etree.ElementTree as ET
            from pyvo.io import vosi
            XSI = '{http://www.w3.org/2001/XMLSchema-instance}type'
            root = ET.parse('record.xml').getroot()
            assert root.tag == '{http://www.ivoa.net/xml/RegistryInterface/v1.0}Resource', root.tag
            assert root.get(XSI) == 'vs:DataService' and root.get('status') == 'active'
            assert root.get('created') == '2026-12-03T06:51:36Z', root.get('created')
            ORDER = ['title', 'shortName', 'identifier', 'curation', 'content', 'capability']
            names = [c.tag for c in root]
            assert names == sorted(names, key=ORDER.index), names
            assert root.findtext('identifier') == 'ivo://example.org/pstamp'
            assert root.findtext('title') == 'PStamp cut-outs & images'
            assert root.findtext('curation/contact/name') == 'Operator <ops>'
            assert root.findtext('content/type') == 'Archive'
            ids = [c.get('standardID') for c in root.findall('capability')]
            assert 'ivo://ivoa.net/std/SODA#sync-1.0' in ids and 'ivo://ivoa.net/std/SIA#query-2.0' in ids and len(ids) == 6, ids
            for c in root.findall('capability'):
                i = c.find('interface')
                assert i.get(XSI) == 'vs:ParamHTTP' and i.find('accessURL').get('use') == 'full'
            print('ok')
            """, ["record.xml": record.xml])
    }
}

/// python3 with astropy and pyvo, the clients the documents are checked with.
enum VOClients {
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["PSTAMP_REQUIRE_VO"].map({ !$0.isEmpty && $0 != "0" }) == true { return true }
        return (try? python("import astropy, pyvo", files: [:]).status) == 0
    }()

    /// Runs a python script with the given files in a fresh folder (the script's working directory).
    static func python(_ script: String, files: [String: String]) throws -> (status: Int32, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return try runProcess("/usr/bin/env", ["python3", "-c", script], in: dir)
    }
}

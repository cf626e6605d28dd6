import Foundation
import GRDB
import Testing

@testable import RequestDB

@Suite(.serialized) struct PStampToolTests {
    /// The schema version the shipped migrations bring a database to.
    static let latest = (try? SchemaMigrator.requestDatabase().latestVersion) ?? 0

    /// The issue's "done when", as a new user would type it.
    @Test func addHoldAndLabelAsTheIssueAsks() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        let missing = try tools.pstamptool("-pendingreq")
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("pstamptool -create"))

        let create = try tools.pstamptool("-create")
        #expect(create.status == 0)
        #expect(create.stdout.contains("created at schema version \(Self.latest)"))
        #expect(try tools.pstamptool("-create").stdout.contains("is at schema version \(Self.latest) (up to date)"))

        let add = try tools.pstamptool("-addreq", "-uri", "/tmp/x.fits", "-label", "WEB.UP")
        #expect(add.status == 0)
        #expect(add.stdout == "1\n")

        let pending = try tools.pstamptool("-pendingreq")
        #expect(pending.status == 0)
        #expect(
            pending.stdout.hasPrefix(
                """
                pstampRequest MULTI

                pstampRequest  METADATA  
                   req_id           S64       1              
                   ds_id            S64       0              
                   state            STR       new             

                """.replacingOccurrences(of: "new             \n\n", with: "new             \n")))
        #expect(pending.stdout.contains("   label            STR       WEB.UP          \n"))
        #expect(pending.stdout.contains("   priority         S64       10000          \nEND\n\n"))
        #expect(pending.stdout.hasSuffix("END\n\n"))

        #expect(try tools.pstamptool("-updatereq", "-req_id", "1", "-set_state", "hold").status == 0)
        let afterHold = try tools.pstamptool("-pendingreq")
        #expect(afterHold.status == 0)
        #expect(afterHold.stdout == "")
        #expect(try tools.pstamptool("-listreq", "-req_id", "1", "-simple").stdout.contains(" hold "))
        #expect(try tools.pstamptool("-updatereq", "-req_id", "1", "-set_state", "new").status == 0)
        #expect(try tools.pstamptool("-pendingreq", "-simple").stdout.hasPrefix("1 0 new "))

        let define = try tools.labeltool("-definelabel", "-set_label", "WEB.UP", "-set_priority", "200")
        #expect(define.status == 0)
        let expected = """
            Label MULTI

            Label  METADATA  
               label            STR       WEB.UP          
               priority         S32       200            
               active           BOOL      T              
               comment          STR       NULL            
            END


            """
        #expect(define.stdout == expected)
        let list = try tools.labeltool("-listlabel")
        #expect(list.status == 0)
        #expect(list.stdout == expected)
        #expect(try tools.pstamptool("-pendingreq", "-simple").stdout.hasSuffix(" 200\n"))
    }

    /// -listreq output byte for byte, one row and two rows (times fixed so the text is known).
    @Test func listreqMetadataConfigByteForByte() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        _ = try tools.pstamptool("-create")
        _ = try tools.pstamptool(
            "-addreq", "-uri", "/data/ippdb02.0/pstamp/work/20100527/5977/web_1695.fits",
            "-label", "WEB.UP", "-name", "Niall.1274580688")
        _ = try tools.pstamptool("-addreq", "-uri", "/tmp/b.fits")
        let db = try DatabaseQueue(path: tools.databasePath)
        try db.write {
            try $0.execute(sql: "UPDATE pstampRequest SET registered = '2010-05-27 02:11:28', timestamp = '2010-05-27 02:11:30'")
        }

        let block1 = """

            pstampRequest  METADATA  
               req_id           S64       1              
               ds_id            S64       0              
               state            STR       new             
               name             STR       Niall.1274580688 
               reqType          STR       NULL            
               label            STR       WEB.UP          
               outProduct       STR       NULL            
               uri              STR       /data/ippdb02.0/pstamp/work/20100527/5977/web_1695.fits 
               outdir           STR       NULL            
               username         STR       NULL            
               proj_id          S64       0              
               registered       TAI       2010-05-27T02:11:28.000000
               timestamp        TAI       2010-05-27T02:11:30.000000
               fault            S16       0              
            END

            """
        let block2 = block1.replacingOccurrences(of: "1              \n   ds_id", with: "2              \n   ds_id")
            .replacingOccurrences(of: "Niall.1274580688 ", with: "NULL            ")
            .replacingOccurrences(of: "WEB.UP          ", with: "NULL            ")
            .replacingOccurrences(of: "/data/ippdb02.0/pstamp/work/20100527/5977/web_1695.fits ", with: "/tmp/b.fits     ")

        let one = try tools.pstamptool("-listreq", "-req_id", "1")
        #expect(one.status == 0)
        #expect(one.stdout == "pstampRequest MULTI\n" + block1 + "\n")

        let two = try tools.pstamptool("-listreq", "-state", "new")
        #expect(two.stdout == "pstampRequest MULTI\n" + block1 + block2 + "\n")

        let simple = try tools.pstamptool("-listreq", "-state", "new", "-simple")
        #expect(
            simple.stdout == """
                1 0 new Niall.1274580688  WEB.UP  /data/ippdb02.0/pstamp/work/20100527/5977/web_1695.fits   0 2010-05-27T02:11:28.000000 2010-05-27T02:11:30.000000 0
                2 0 new     /tmp/b.fits   0 2010-05-27T02:11:28.000000 2010-05-27T02:11:30.000000 0

                """)
        let json = try tools.pstamptool("-listreq", "-req_id", "2", "-json")
        #expect(json.stdout.contains("\"req_id\": 2, \"ds_id\": 0, \"state\": \"new\", \"name\": null"))
    }

    @Test func exitStatusesAndUsage() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        _ = try tools.pstamptool("-create")
        let misspeltMode = try tools.pstamptool("-pendingrq")
        #expect(misspeltMode.status == 2)
        #expect(misspeltMode.stderr.contains("usage: pstamptool"))
        #expect(misspeltMode.stderr.contains("-pendingreq"))
        let misspeltOption = try tools.pstamptool("-updatereq", "-req_id", "1", "-set_stat", "hold")
        #expect(misspeltOption.status == 2)
        #expect(misspeltOption.stderr.contains("-set_stat"))
        #expect(try tools.pstamptool().status == 2)
        #expect(try tools.pstamptool("-addreq").status == 2)
        #expect(try tools.pstamptool("-pendingreq", "-limit", "x").status == 2)
        let notFound = try tools.pstamptool("-listreq", "-req_id", "7")
        #expect(notFound.status == 3)
        #expect(notFound.stderr.contains("request not found"))
        #expect(try tools.pstamptool("-listreq").status == 3)
        #expect(try tools.pstamptool("-listjob").status == 1)
        #expect(try tools.pstamptool("-updatereq", "-set_state", "hold").status == 3)
        #expect(try tools.pstamptool("-updatereq", "-req_id", "1", "-set_state", "held").status == 3)
        let server = try tools.pstamptool("-dbname", "requestdb", "-dbserver", "ippc17", "-pendingreq")
        #expect(server.status == 0)
        #expect(server.stderr.contains("-dbserver ippc17 ignored"))
        // An illegal transition names both states and changes nothing.
        _ = try tools.pstamptool("-addreq", "-uri", "/x")
        #expect(try tools.pstamptool("-updatereq", "-req_id", "1", "-set_state", "goto_cleaned").status == 0)
        let illegal = try tools.pstamptool("-updatereq", "-req_id", "1", "-set_state", "run")
        #expect(illegal.status == 5)
        #expect(illegal.stderr.contains("'goto_cleaned'") && illegal.stderr.contains("'run'"))
        #expect(try tools.pstamptool("-pendingcleanup", "-simple").stdout.hasPrefix("1 0 goto_cleaned "))
        // A name in the data directory, or a path.
        let other = tools.dataDirectory.appendingPathComponent("other.sqlite").path
        #expect(try tools.pstamptool("-create", "-dbname", "ippRequestServer").status == 0)
        #expect(FileManager.default.fileExists(atPath: tools.dataDirectory.appendingPathComponent("ippRequestServer.sqlite").path))
        #expect(try tools.pstamptool("-create", "-dbname", other).status == 0)
        #expect(try tools.pstamptool("-dbname", other, "-addreq", "-uri", "/y").stdout == "1\n")
    }

    /// Every mode once, against one database, in the order the pipeline uses them.
    @Test func everyModeWorks() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        func ok(_ args: String...) throws -> String {
            let r = try tools.run("pstamptool", args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return r.stdout
        }
        _ = try ok("-create")
        #expect(
            try ok(
                "-adddatastore", "-set_uri", "http://mops/ds/pstamp", "-set_out_product", "mops-results",
                "-set_label", "MOPS") == "")
        #expect(try ok("-datastore", "-ready", "-simple").hasPrefix("1 enabled  NULL MOPS mops-results http://mops/ds/pstamp 60 F"))
        _ = try ok("-moddatastore", "-ds_id", "1", "-set_last_fileset", "fs.1")
        #expect(try ok("-datastore", "-ready") == "")
        #expect(try ok("-datastore").contains("   lastFileset      STR       fs.1            \n"))

        #expect(try ok("-addproject", "-name", "gpc1", "-imagedb", "gpc1", "-inst", "GPC1", "-telescope", "PS1") == "")
        #expect(try ok("-project", "-name", "gpc1").contains("   dbname           STR       gpc1            \n"))
        _ = try ok("-modproject", "-proj_id", "1", "-state", "enabled")

        #expect(try ok("-addreq", "-uri", "/tmp/r.fits", "-ds_id", "1", "-label", "MOPS") == "1\n")
        #expect(try ok("-pendingreq").contains("   ds_outProduct    STR       mops-results    \n"))
        _ = try ok("-updatereq", "-req_id", "1", "-set_state", "run", "-set_outdir", "/w/1", "-set_reqType", "pstamp")
        #expect(try ok("-addjob", "-req_id", "1", "-rownum", "1", "-outputBase", "/w/1/1_1") == "1\n")
        #expect(
            try ok(
                "-getdependent", "-stage", "chip", "-stage_id", "77563", "-component", "XY31", "-imagedb", "gpc1",
                "-outdir", "/w/1", "-rlabel", "ps_ud_MOPS") == "1\n")
        #expect(try ok("-addjob", "-req_id", "1", "-rownum", "2", "-outputBase", "/w/1/2_1", "-dep_id", "1") == "2\n")
        #expect(try ok("-pendingjob", "-simple").hasPrefix("1 1 1 run stamp 0 "))
        let dep = try ok("-pendingdependent", "-limit", "1")
        #expect(dep.hasPrefix("pstampDependent MULTI\n\npstampDependent  METADATA  \n   dep_id           S64       1              \n"))
        #expect(dep.contains("   logfile          STR       /w/1/checkdep.1.log \n"))
        #expect(dep.contains("   first_req_id     S64       1              \n"))
        _ = try ok("-updatedependent", "-dep_id", "1", "-set_state", "full")
        #expect(try ok("-pendingdependent") == "")
        #expect(try ok("-pendingjob", "-simple").split(separator: "\n").count == 2)
        #expect(try ok("-listjob", "-req_id", "1").contains("   outProduct       STR       NULL            \n"))
        _ = try ok("-updatejob", "-job_id", "1", "-set_fault", "2")
        #expect(try ok("-listjob", "-job_id", "1", "-simple").hasPrefix("1 1 1 run stamp 2 0 /w/1/1_1 0 0 1 "))
        _ = try ok("-revertjob", "-req_id", "1")
        _ = try ok("-updatejob", "-req_id", "1", "-set_state", "stop")
        #expect(try ok("-completedreq", "-simple").hasPrefix("1 1 run "))
        _ = try ok("-stopdependentjob", "-set_fault", "25", "-dep_id", "1")
        _ = try ok("-revertdependent", "-dep_id", "1")
        _ = try ok("-updatereq", "-req_id", "1", "-set_fault", "200")
        _ = try ok("-revertreq", "-req_id", "1")
        #expect(try ok("-listreq", "-req_id", "1", "-simple").hasSuffix(" 0\n"))
        _ = try ok("-updatereq", "-req_id", "1", "-set_state", "stop")
        _ = try ok("-updatereq", "-req_id", "1", "-set_state", "goto_cleaned")
        #expect(try ok("-pendingcleanup", "-simple").hasPrefix("1 1 goto_cleaned "))

        #expect(try ok("-addfile", "-job_id", "1", "-path", "/bundles/1.tgz") == "1\n")
        #expect(try ok("-listfile", "-req_id", "1", "-simple") == "1 1 /bundles/1.tgz 1\n")
        _ = try ok("-deletefile", "-job_id", "1")
        #expect(try ok("-listfile", "-job_id", "1") == "")
        #expect(try ok("-getwebrequestnum") == "1\n")
        #expect(try ok("-getwebrequestnum") == "2\n")

        _ = try ok("-adddomain", "-set_domain", "ifa.hawaii.edu", "-set_accessLevel", "3")
        _ = try ok("-updatedomain", "-domain", "ifa.hawaii.edu", "-set_defaultProduct", "ifa")
        #expect(try ok("-listdomain", "-simple") == "ifa.hawaii.edu 3 ifa \n")
        _ = try ok("-adduser", "-set_user", "bills", "-set_domain", "ifa.hawaii.edu", "-set_accessLevel", "5")
        _ = try ok("-updateuser", "-user", "bills", "-domain", "ifa.hawaii.edu", "-set_defaultLabel", "WEB")
        #expect(try ok("-listuser", "-user", "bills", "-simple") == "bills ifa.hawaii.edu 5 3  WEB ifa \n")
        _ = try ok("-addaccesslevel", "-set_project_name", "gpc1", "-set_accessLevel", "3", "-set_mjd_max", "55000.5")
        #expect(try ok("-listaccesslevel", "-project_name", "gpc1").contains("   mjd_max          F32       55000.5        \n"))
    }

    /// -revertjob says how many jobs it reverted (none for a held request's jobs, which is why it seemed to
    /// do nothing); -listjob -faulted lists every faulted job whatever its code; a NULL parent_id prints
    /// 9223372036854775807 in MDC output, as the IPP's psDB prints a NULL BIGINT (the type's maximum; Job.pm
    /// tests for that value as "no value"), so the IPP's own parsers read our listings as theirs.
    @Test func revertjobCountsAndListjobFaulted() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        func run(_ args: String...) throws -> (status: Int32, stdout: String, stderr: String) {
            let r = try tools.run("pstamptool", args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return (r.status, r.stdout, r.stderr)
        }
        _ = try run("-create")
        _ = try run("-addreq", "-uri", "/tmp/r.fits")
        _ = try run("-updatereq", "-req_id", "1", "-set_state", "run")
        _ = try run("-addjob", "-req_id", "1", "-rownum", "1", "-outputBase", "/w/1/1_1")
        _ = try run("-addjob", "-req_id", "1", "-rownum", "2", "-outputBase", "/w/1/2_1")
        _ = try run("-addjob", "-req_id", "1", "-rownum", "3", "-state", "stop", "-fault", "23")
        _ = try run("-updatejob", "-job_id", "1", "-set_fault", "2")
        _ = try run("-updatejob", "-job_id", "2", "-set_fault", "3")

        let faulted = try run("-listjob", "-faulted", "-simple").stdout.split(separator: "\n")
        #expect(faulted.map { $0.split(separator: " ").first.map(String.init) } == ["1", "2", "3"], "\(faulted)")
        #expect(try run("-listjob", "-faulted", "-state", "stop", "-simple").stdout.hasPrefix("3 1 3 stop "))
        #expect(try run("-listjob", "-job_id", "1").stdout.contains("   parent_id        S64       9223372036854775807\n"))

        _ = try run("-updatereq", "-req_id", "1", "-set_state", "hold")
        #expect(try run("-revertjob", "-req_id", "1").stderr.contains("reverted 0 pstampJobs"))
        _ = try run("-updatereq", "-req_id", "1", "-set_state", "run")
        #expect(try run("-revertjob", "-req_id", "1").stderr.contains("reverted 2 pstampJobs"))
        #expect(try run("-listjob", "-faulted", "-simple").stdout.split(separator: "\n").count == 1)
    }

    /// -getdependent on a faulted open dependent exits with its fault, which the parser reads.
    @Test func getdependentExitsWithTheFaultOfAFaultedDependent() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        _ = try tools.pstamptool("-create")
        let args = [
            "-getdependent", "-stage", "warp", "-stage_id", "9", "-component", "skycell.1", "-imagedb", "gpc1",
            "-outdir", "/w",
        ]
        #expect(try tools.run("pstamptool", args).stdout == "1\n")
        _ = try tools.pstamptool("-updatedependent", "-dep_id", "1", "-set_fault", "4")
        let faulted = try tools.run("pstamptool", args)
        #expect(faulted.status == 4)
        #expect(faulted.stdout == "")
        #expect(try tools.run("pstamptool", args + ["-no_create"]).status == 4)
        #expect(try tools.run("pstamptool", Array(args.dropLast(2))).status == 2)  // -outdir is required
    }

    /// Two pstamptool processes asking at once for one component get one dependent.
    @Test func concurrentGetdependentProcessesShareOneDependent() async throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        _ = try tools.pstamptool("-create")
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try tools.pstamptool(
                        "-getdependent", "-stage", "chip", "-stage_id", "77563", "-component", "XY31",
                        "-imagedb", "gpc1", "-outdir", "/w"
                    ).stdout
                }
            }
            var all: [String] = []
            for try await out in group { all.append(out) }
            return all
        }
        #expect(outputs == Array(repeating: "1\n", count: 4))
        let count = try await DatabaseQueue(path: tools.databasePath).read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM pstampDependent")
        }
        #expect(count == 1)
    }

    /// scripts/run.sh's own check (`--check`: start the server, see it alive, stop): on a port another
    /// process holds, it says the server died, names the port and shows the cause from the log, and never
    /// claims to be running; on a free port it says where the server runs and where to point a browser.
    @Test func runScriptChecksItsServerIsAlive() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func script(port: Int, dir name: String) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [
                root.appendingPathComponent("scripts/run.sh").path, BuiltTools.binDirectory.path,
                tools.dataDirectory.appendingPathComponent(name).path, "--check",
            ]
            process.currentDirectoryURL = root
            var environment = ProcessInfo.processInfo.environment
            environment["PSTAMP_PORT"] = String(port)
            process.environment = environment
            return try process.runForOutput()
        }
        // A process holding a port (listening, never answering).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = [
            "-c",
            "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen()\n"
                + "print(s.getsockname()[1],flush=True)\ntime.sleep(120)",
        ]
        let portPipe = Pipe()
        holder.standardOutput = portPipe
        try holder.run()
        // SIGKILL: Foundation's Process hands its child the spawning thread's signal mask (a Dispatch
        // worker's: SIGTERM blocked, swift-corelibs-foundation#4772), so terminate() left the holder
        // sleeping its 120 s and this test took two minutes.
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        var line = Data()
        while !line.contains(10) {
            let chunk = portPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let taken = try #require(Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))

        let busy = try script(port: taken, dir: "busy")
        #expect(busy.status != 0, "\(busy.output)")
        #expect(!busy.output.contains("pstamp serve running"), "\(busy.output)")
        #expect(busy.output.contains("port \(taken)") && busy.output.contains("exited"), "\(busy.output)")
        #expect(busy.output.contains("in use") && busy.output.contains("last lines of"), "\(busy.output)")

        // A port the system just gave out and released: a random one in 30000-40000 lies in Linux's
        // ephemeral range and was once taken by another connection (the run failed with "in use").
        let free = try Self.releasedPort()
        let ok = try script(port: free, dir: "free")
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("pstamp serve running at http://127.0.0.1:\(free)"), "\(ok.output)")
        #expect(ok.output.contains("open http://127.0.0.1:\(free)/upload in a browser"), "\(ok.output)")
    }

    /// scripts/run.sh (what `make run` calls) starts the server on a private port, submits every fixture
    /// sample request and sees each finish with a results fileset — cleaned chips and warps included,
    /// regenerated from the fixture archive by the UpdateProcessor.
    @Test func runScriptFinishesEverySampleRequest() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let var_ = tools.dataDirectory.appendingPathComponent("var").path
        let samples = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("fixtures/requests").path)
            .filter { $0.hasSuffix(".txt") }.count
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/run.sh").path, BuiltTools.binDirectory.path, var_]
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["PSTAMP_PORT"] = String(Int.random(in: 20_000..<30_000))
        environment["PSTAMP_RUN_ONCE"] = "1"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("submitted \(samples) sample requests"), "\(text)")
        let finished = text.split(separator: "\n").filter { $0.contains("/ds/pstampresults/") }
        #expect(finished.count == samples, "\(text)")
        #expect(!text.contains("not finished yet"), "\(text)")
        // One line per request with its outcome (the codes of its results rows), and where to look.
        #expect(finished.allSatisfy { $0.contains(": finished, codes ") }, "\(text)")
        #expect(text.contains("in a browser"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: var_ + "/requestdb.sqlite"))
    }

    /// A loopback port the system assigns to a socket that is then closed: free when the test uses it.
    static func releasedPort() throws -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import socket\ns=socket.socket()\ns.bind(('127.0.0.1',0))\nprint(s.getsockname()[1])\ns.close()"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

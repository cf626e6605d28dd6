import Foundation
import Testing

@testable import PStampCore

@Suite("Work directory: where each file of a request lives")
struct WorkDirectoryTests {
    /// 2026-12-03 23:59:58 UTC.
    let date = Date(timeIntervalSince1970: 1_796_342_398)

    @Test("times and day folders are written in UTC")
    func utcText() {
        #expect(UTCTime.databaseText(date) == "2026-12-03 23:59:58")
        #expect(UTCTime.dayFolder(date) == "2026/12/03")
        #expect(UTCTime.compact(date) == "20261203235958")
        #expect(MetadataTime(date).sqlText == "2026-12-03 23:59:58")
    }

    @Test("a request works in <workdir>/YYYY/MM/DD/<req_id>; uploads go to <workdir>/webreq/YYYY/MM/DD")
    func layout() {
        let work = WorkDirectory(URL(fileURLWithPath: "/data/work"))
        let request = work.request(5977, on: date)
        #expect(request.path == "/data/work/2026/12/03/5977")
        #expect(work.uploads(on: date).path == "/data/work/webreq/2026/12/03")
        #expect(request.parseErrors.path == "/data/work/2026/12/03/5977/parse_error.txt")
        #expect(request.registrationList(jobID: 12).path == "/data/work/2026/12/03/5977/reglist12")
        #expect(request.checkdepLog(depID: 3).path == "/data/work/2026/12/03/5977/checkdep.3.log")
        #expect(request.outputBase("1_1_r_chip") == "/data/work/2026/12/03/5977/1_1_r_chip")
        #expect(RequestWorkDirectory.parametersFile(outputBase: "/o/1_1") == "/o/1_1.params.json")
        #expect(RequestWorkDirectory(outputBase: "/o/5977/1_1_r_chip").path == "/o/5977")
    }
}

import PStampCore
import Testing

@Suite struct ServeConfigParsingTests {
    @Test func keyValueAndIPPStyleLinesAreRead() throws {
        let config = try ServeConfig.parse(
            """
            # site settings
            workdir = /data/pstamp/work
            PSTAMP_PRESERVE_DAYS  S32  21
            port=9090   # trailing comment
            labels = WEB.UP, PSI  MOPS
            IMAGE_DB = "/data/gpc1.sqlite"
            PSTAMP_DEFAULT_ACCESS_LEVEL S32 2
            """)
        #expect(config.workdir == "/data/pstamp/work")
        #expect(config.preserveDays == 21)
        #expect(config.port == 9090)
        #expect(config.labels == ["WEB.UP", "PSI", "MOPS"])
        #expect(config.imageDB == "/data/gpc1.sqlite")
        #expect(config.defaultAccessLevel == 2)
        #expect(config.host == nil && config.dataDir == nil)
    }

    @Test func badLinesAreRefusedWithTheirLineNumber() {
        #expect(throws: PStampError(.configError, "line 2: unknown setting 'colour'")) {
            try ServeConfig.parse("port = 1\ncolour = blue")
        }
        #expect(throws: PStampError(.configError, "line 1: port needs a whole number, not 'eighty'")) {
            try ServeConfig.parse("port = eighty")
        }
        #expect(throws: PStampError(.configError, "line 1: preserve_days must not be negative")) {
            try ServeConfig.parse("preserve_days = -1")
        }
        #expect(throws: PStampError.self) { try ServeConfig.parse("just words here") }
    }
}

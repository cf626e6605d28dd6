import Testing

@testable import PStampCore

@Suite struct MetadataConfigTests {
    /// The seed's `pst -pendingdependent -limit 1` output, copied byte for byte (through END).
    static let seedBlock = """
        pstampDependent MULTI

        pstampDependent  METADATA  
           dep_id           S64       55261          
           state            STR       new             
           stage            STR       chip            
           stage_id         S64       77563          
           component        STR       XY31            
           imagedb          STR       gpc1            
           outdir           STR       /data/ippdb02.0/pstamp/work/20100527/5977 
           rlabel           STR       ps_ud_WEB.UP    
           need_magic       BOOL      T              
           fault            S16       0              
           priority         S64       8              
        END
        """

    static let seedRow = MetadataRow([
        MetadataItem("dep_id", .s64(55261)),
        MetadataItem("state", .str("new")),
        MetadataItem("stage", .str("chip")),
        MetadataItem("stage_id", .s64(77563)),
        MetadataItem("component", .str("XY31")),
        MetadataItem("imagedb", .str("gpc1")),
        MetadataItem("outdir", .str("/data/ippdb02.0/pstamp/work/20100527/5977")),
        MetadataItem("rlabel", .str("ps_ud_WEB.UP")),
        MetadataItem("need_magic", .bool(true)),
        MetadataItem("fault", .s16(0)),
        MetadataItem("priority", .s64(8)),
    ])

    @Test func oneRowIsAMultiByteForByteAsTheSeed() {
        let text = MetadataConfig.document([Self.seedRow], blockName: "pstampDependent")
        #expect(text == Self.seedBlock + "\n\n")
    }

    @Test func twoRowsAreTwoBlocksAndOneFinalNewline() {
        var second = Self.seedRow
        second.items[0] = MetadataItem("dep_id", .s64(55262))
        let text = MetadataConfig.document([Self.seedRow, second], blockName: "pstampDependent")
        let secondBlock = Self.seedBlock
            .replacingOccurrences(of: "pstampDependent MULTI\n", with: "")
            .replacingOccurrences(of: "55261", with: "55262")
        #expect(text == Self.seedBlock + "\n" + secondBlock + "\n\n")
        #expect(text.components(separatedBy: "\nEND\n").count == 3)
        #expect(text.hasPrefix("pstampDependent MULTI\n\npstampDependent  METADATA  \n"))
        #expect(
            text.hasSuffix(
                "END\n\npstampDependent  METADATA  \n"
                    + secondBlock.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n") + "\n\n"))
    }

    /// The 4-column example of server-internals §4.4 (NULL string, time).
    @Test func referenceExampleLines() {
        let row = MetadataRow([
            MetadataItem("req_id", .s64(42)),
            MetadataItem("state", .str("run")),
            MetadataItem("outdir", .str(nil)),
            MetadataItem("registered", .time(MetadataTime("2025-05-02 10:11:12"))),
        ])
        let text = MetadataConfig.document([row], blockName: "pstampRequest")
        #expect(
            text == """
                pstampRequest MULTI

                pstampRequest  METADATA  
                   req_id           S64       42             
                   state            STR       run             
                   outdir           STR       NULL            
                   registered       TAI       2025-05-02T10:11:12.000000
                END


                """)
        #expect(MetadataConfig.simple([row]) == "42 run  2025-05-02T10:11:12.000000\n")
    }

    @Test func nullRulesOfPsDB() {
        #expect(MetadataConfig.itemLine(MetadataItem("fault", .s16(nil))) == "fault            S16       32767          \n")
        #expect(MetadataConfig.itemLine(MetadataItem("n", .s32(nil))) == "n                S32       2147483647     \n")
        #expect(MetadataConfig.itemLine(MetadataItem("proj_id", .s64(nil))) == "proj_id          S64       9223372036854775807\n")
        #expect(MetadataConfig.itemLine(MetadataItem("b", .bool(nil))) == "b                BOOL      T              \n")
        #expect(MetadataConfig.itemLine(MetadataItem("t", .time(nil))) == "t                TAI       NULL           \n")
        #expect(MetadataConfig.itemLine(MetadataItem("s", .str("   "))) == "s                STR       NULL            \n")
        #expect(MetadataConfig.itemLine(MetadataItem("s", .str(""))) == "s                STR       NULL            \n")
        #expect(MetadataConfig.itemLine(MetadataItem("x", .f64(nil))) == "x                F64       nan            \n")
    }

    @Test func floatsAndLongNames() {
        #expect(MetadataConfig.itemLine(MetadataItem("mjd_max", .f32(55000.5))) == "mjd_max          F32       55000.5        \n")
        #expect(MetadataConfig.itemLine(MetadataItem("ra", .f64(1.0 / 3.0))) == "ra               F64       0.333333333333333\n")
        #expect(
            MetadataConfig.itemLine(MetadataItem("a_very_long_column_name", .s16(1)))
                == "a_very_long_column_name  S16       1              \n")
        #expect(
            MetadataConfig.simple([MetadataRow([MetadataItem("x", .f32(1.5)), MetadataItem("b", .bool(false))])])
                == "1.500000 F\n")
    }

    @Test func simpleReplacesSpacesAndLeavesNullsEmpty() {
        let row = MetadataRow([
            MetadataItem("a", .s64(1)), MetadataItem("b", .str(nil)), MetadataItem("c", .str("two words")),
            MetadataItem("d", .str(nil)),
        ])
        #expect(MetadataConfig.simple([row, row]) == "1  two_words \n1  two_words \n")
    }

    @Test func noRowsPrintNothing() {
        #expect(MetadataConfig.document([], blockName: "pstampJob") == "")
        #expect(MetadataConfig.simple([]) == "")
        #expect(MetadataConfig.json([]) == "[]\n")
    }

    @Test func jsonKeepsTypesAndNulls() {
        let row = MetadataRow([
            MetadataItem("id", .s64(7)), MetadataItem("name", .str("a \"q\"")), MetadataItem("none", .s16(nil)),
            MetadataItem("ok", .bool(false)), MetadataItem("t", .time(MetadataTime("2025-01-02T03:04:05Z"))),
        ])
        #expect(
            MetadataConfig.json([row])
                == "[\n  {\"id\": 7, \"name\": \"a \\\"q\\\"\", \"none\": null, \"ok\": false, \"t\": \"2025-01-02T03:04:05.000000\"}\n]\n")
    }

    @Test func timesParseAndPrint() {
        #expect(MetadataTime("2025-05-02 10:11:12.5")?.iso == "2025-05-02T10:11:12.500000")
        #expect(MetadataTime("2025-05-02")?.sqlText == "2025-05-02 00:00:00")
        #expect(MetadataTime("2025-13-02") == nil)
        #expect(MetadataTime("yesterday") == nil)
        #expect(MetadataTime("2025-05-02T10:11") == nil)
        #expect(MetadataTime("2025-05-02 10:11:12")! < MetadataTime("2025-05-02 10:11:13")!)
    }
}

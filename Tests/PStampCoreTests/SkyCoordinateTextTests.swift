import PStampCore
import Testing

/// Coordinates as the request form takes them: decimal degrees or sexagesimal.
@Suite struct SkyCoordinateTextTests {
    @Test func decimalAndSexagesimalGiveTheSameDegrees() throws {
        #expect(try SkyCoordinateText.rightAscension("150.11625") == 150.11625)
        #expect(abs(try SkyCoordinateText.rightAscension("10:00:27.9") - 150.11625) < 1e-9)
        #expect(abs(try SkyCoordinateText.rightAscension("10 00 27.9") - 150.11625) < 1e-9)
        #expect(abs(try SkyCoordinateText.rightAscension("10h00m27.9s") - 150.11625) < 1e-9)
        #expect(try SkyCoordinateText.rightAscension("10h") == 150)
        #expect(try SkyCoordinateText.declination("+02:12:00") == 2.2)
        #expect(abs(try SkyCoordinateText.declination("2d12m0s") - 2.2) < 1e-12)
        #expect(try SkyCoordinateText.declination("-2.25") == -2.25)
    }

    @Test func aNegativeDeclinationBelowOneDegreeKeepsItsSign() throws {
        #expect(try SkyCoordinateText.declination("-00:30:00") == -0.5)
        #expect(try SkyCoordinateText.declination("-0 30 0") == -0.5)
    }

    @Test func badTextIsRefusedNamingTheCoordinate() {
        #expect(throws: PStampError(.invalidRequest, "ra 'ten' is not a number")) { try SkyCoordinateText.rightAscension("ten") }
        #expect(throws: PStampError(.invalidRequest, "dec '10:75:00' is not a number")) { try SkyCoordinateText.declination("10:75:00") }
        #expect(throws: PStampError(.invalidRequest, "ra 360.0 is outside 0 to 360 degrees")) {
            try SkyCoordinateText.rightAscension("24:00:00")
        }
        #expect(throws: PStampError(.invalidRequest, "dec -91.0 is outside -90 to 90 degrees")) { try SkyCoordinateText.declination("-91") }
        #expect(throws: PStampError(.invalidRequest, "dec is required (degrees)")) { try SkyCoordinateText.declination("  ") }
    }

    @Test func theDateRangeMayBeGivenAsDates() throws {
        let q = try StampQuery.parse(["ra": "1", "dec": "1", "size": "5", "mjd_min": "2010-01-01", "mjd_max": "55300.5"])
        #expect(q.mjdMin == 55197 && q.mjdMax == 55300.5)
        #expect(throws: StampQuery.Refusal(field: "mjd_max", error: PStampError(.invalidRequest, "mjd_max '2010-13-01' is not a number"))) {
            try StampQuery.check(["ra": "1", "dec": "1", "size": "5", "mjd_max": "2010-13-01"])
        }
    }

    @Test func stampQueriesTakeSexagesimalAndNameTheRefusedField() throws {
        let q = try StampQuery.parse(["ra": "10:00:27.9", "dec": "-00:30:00", "size": "30"])
        #expect(abs(q.ra - 150.11625) < 1e-9 && q.dec == -0.5)
        #expect(throws: StampQuery.Refusal(field: "dec", error: PStampError(.invalidRequest, "dec 'north' is not a number"))) {
            try StampQuery.check(["ra": "1", "dec": "north", "size": "30"])
        }
        #expect(
            throws: StampQuery.Refusal(
                field: "size", error: PStampError(.invalidRequest, "width 0.0 must be above 0 and at most 3600 arcsec"))
        ) {
            try StampQuery.check(["ra": "1", "dec": "1", "size": "0"])
        }
    }
}

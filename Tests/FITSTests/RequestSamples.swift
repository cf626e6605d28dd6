/// The sample requests quoted in formats-and-cutouts.md §2 (from the IPP's wiki and pstamp/test files),
/// as text for `pstamp request-file`.
enum RequestSamples {
    struct Sample {
        let name: String
        let text: String
        let version: Int
        let rows: Int
    }

    static let all: [Sample] = [
        Sample(
            name: "wiki sample_pstamp_request",
            text: """
                CHANGEME 2 PROCESS myemail@myinstitution.edu
                1 18.876667 -0.861489 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0 |search by coords
                """, version: 2, rows: 1),
        Sample(
            name: "warp.byid",
            text: """
                CHANGEME 2 PROCESS null
                1 241.54949 55.4273 1500 1500 2 stamp 65 gpc1 MD08 null byexp warp o6136g0055o null null null i 0 0 null 0 10 |
                """, version: 2, rows: 1),
        Sample(
            name: "stack.byskycell",
            text: """
                CHANGEME 2 PROCESS null
                1 241.54949 55.4273 1500 1500 2 stamp 2113 gpc1 3PI null byskycell stack null RINGS.V3 skycell.2386.085 null r 0 0 null 0 10 | tadpole galaxy r band
                """, version: 2, rows: 1),
        Sample(
            name: "test1 (v1, automatic ROWNUM, inherited row)",
            text: """
                # REQ_NAME      EXTVER
                test1            1
                0 135.49921 34.92035 100 100 2 stamp 63 gpc1 byid chip 62326 null XY62 null null 0 0 |image,mask,weight,cmf, psf,backmdl
                0 135.63231 34.92165 100 100 2 | different coords in same images of interest
                """, version: 1, rows: 2),
        Sample(
            name: "stacksummary.byid (whole file)",
            text: """
                CHANGEME 2 PROCESS null
                1         0         0         0      0   2      stamp      7         gpc1      3PI         null     byid    stack_summary  26992 null   null      null       r        0      0        null      0        0    | 
                """, version: 2, rows: 1),
        Sample(
            name: "getimage (v1)",
            text: """
                getimage 1
                2 243.035580 55.128140 250 250 2 get_image 3 gpc1 byid warp 6323 null skycell.078 MD08.200905.v1 null 0 0 |
                """, version: 1, rows: 1),
        Sample(
            name: "chip.bycoord.preview",
            text: """
                CHANGEME 2 PREVIEW null
                1 18.876667 -0.861489 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0 |preview only
                """, version: 2, rows: 1),
    ]
}

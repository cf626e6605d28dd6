// pstamptool: the operator CLI (IPP modes and options). See issue 2.
@main
struct PStampTool {
    static func main() {
        print("pstamptool: not built yet")
    }
}

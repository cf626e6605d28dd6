// labeltool: the operator CLI (IPP modes and options). See issue 2.
@main
struct LabelTool {
    static func main() {
        print("labeltool: not built yet")
    }
}

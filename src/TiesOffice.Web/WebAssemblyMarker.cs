namespace TiesOffice.Web;

internal static class WebAssemblyMarker;

namespace TiesOffice.Infrastructure.Graph;

internal static class GraphAssemblyMarker;

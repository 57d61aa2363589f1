namespace TiesOffice.Infrastructure.Storage;

internal static class StorageAssemblyMarker;

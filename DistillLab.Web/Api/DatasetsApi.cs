using DistillLab.Web.Datasets;

namespace DistillLab.Web.Api;

/// <summary>GET/POST /api/datasets/petimages/download and .../cancel: the dashboard's Cats vs Dogs download over HTTP.</summary>
public static class DatasetsApi
{
    private const string Path = "/datasets/petimages/download";

    public static RouteGroupBuilder MapDatasetDownloadApi(this RouteGroupBuilder api)
    {
        api.MapGet(Path, (DatasetDownloads downloads) => DownloadStatusView.From(downloads.Status));
        api.MapPost(Path, Start);
        api.MapPost(Path + "/cancel", Cancel);
        return api;
    }

    private static IResult Start(DatasetDownloads downloads) => downloads.Start() switch
    {
        DownloadStart.Started => Results.Accepted("/api" + Path, DownloadStatusView.From(downloads.Status)),
        DownloadStart.AlreadyPresent => Results.Ok(DownloadStatusView.From(downloads.Status)),
        _ => Results.Problem(statusCode: 409, title: "Download running",
            detail: "Cats vs Dogs is already being downloaded; follow it with GET /api" + Path + " or cancel it."),
    };

    private static IResult Cancel(DatasetDownloads downloads) => downloads.Cancel()
        ? Results.Accepted("/api" + Path, new { status = "cancelling" })
        : Results.Problem(statusCode: 409, title: "No download running", detail: "There is no Cats vs Dogs download to cancel.");
}

/// <summary>The JSON shape of a download's state: bytes of the current stage (downloading, verifying or extracting), its rate and time left.</summary>
public sealed record DownloadStatusView(DownloadState State, bool Present, string? Stage, long BytesDone, long TotalBytes,
    double BytesPerSecond, double? SecondsLeft, string? Text, string? Message, bool CanResume, string SizeText)
{
    public static DownloadStatusView From(DownloadStatus s) => new(s.State, s.Present,
        s.Progress?.Stage.ToString().ToLowerInvariant(), s.Progress?.BytesDone ?? 0, s.Progress?.TotalBytes ?? 0,
        s.Progress?.BytesPerSecond ?? 0, s.Progress?.EstimatedRemaining?.TotalSeconds, s.Progress?.Describe(), s.Message, s.CanResume, s.SizeText);
}

namespace DistillLab.Core.Data;

/// <summary>Lists a folder source: one sub-folder per class, or the Kaggle competition layout
/// (files named &lt;class&gt;.&lt;id&gt;.jpg in one folder, e.g. cat.123.jpg).</summary>
internal static class FolderSource
{
    private static readonly string[] kaggleExtensions = [".jpg", ".jpeg", ".png"];

    public static SourceListing List(string root)
    {
        if (!Directory.Exists(root))
            throw new DataSourceException($"The folder '{root}' does not exist. A folder source needs one sub-folder per class (e.g. Cat/ and Dog/) or files named <class>.<id>.jpg.");

        var rootInfo = new DirectoryInfo(root);
        var classDirs = rootInfo.EnumerateDirectories()
            .Where(d => !IsHidden(d.Name))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        if (classDirs.Count > 0)
            return FromClassFolders(rootInfo, classDirs);

        var kaggle = rootInfo.EnumerateFiles().Where(f => KaggleClass(f.Name) is not null).ToList();
        if (kaggle.Count > 0)
            return FromKaggleNames(rootInfo);

        throw new DataSourceException($"The folder '{root}' has no class sub-folders and no files named <class>.<id>.jpg. A folder source needs at least 2 classes: one sub-folder per class (e.g. Cat/ and Dog/), or files such as cat.1.jpg and dog.1.jpg.");
    }

    private static SourceListing FromClassFolders(DirectoryInfo root, List<DirectoryInfo> classDirs)
    {
        if (classDirs.Count < 2)
            throw new DataSourceException($"The folder '{root.FullName}' has only 1 class sub-folder ('{classDirs[0].Name}'). A folder source needs at least 2 classes, one sub-folder each.");
        var files = new List<SourceFile>();
        for (int label = 0; label < classDirs.Count; label++)
        {
            var inClass = classDirs[label].EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !IsHidden(f.Name)).ToList();
            if (inClass.Count == 0)
                throw new DataSourceException($"The class folder '{classDirs[label].FullName}' is empty. Every class sub-folder needs at least one image (JPEG or PNG).");
            files.AddRange(inClass.Select(f => SourceFile.From(root.FullName, f, label)));
        }
        return new SourceListing(root.FullName, classDirs.Select(d => d.Name).ToList(), SourceListing.Ordered(files), "plain");
    }

    private static SourceListing FromKaggleNames(DirectoryInfo root)
    {
        var all = root.EnumerateFiles().Where(f => !IsHidden(f.Name)).ToList();
        var classes = all.Select(f => KaggleClass(f.Name)).OfType<string>()
            .Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
        if (classes.Count < 2)
            throw new DataSourceException($"The folder '{root.FullName}' only has files of class '{classes[0]}'. A folder source needs at least 2 classes (e.g. cat.1.jpg and dog.1.jpg).");
        // Files that do not follow the naming (a readme, a csv) are listed so that they are counted, not silently dropped.
        var files = all.Select(f => KaggleClass(f.Name) is { } c
            ? SourceFile.From(root.FullName, f, classes.IndexOf(c))
            : SourceFile.From(root.FullName, f, -1, SkipReasons.NotAnImage));
        return new SourceListing(root.FullName, classes, SourceListing.Ordered(files), "plain");
    }

    /// <summary>"cat.123.jpg" -> "cat"; null when the name is not &lt;class&gt;.&lt;id&gt;.&lt;jpg|jpeg|png&gt;.</summary>
    internal static string? KaggleClass(string name)
    {
        string ext = Path.GetExtension(name);
        if (!kaggleExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase)) return null;
        string stem = name[..^ext.Length];
        int dot = stem.IndexOf('.');
        if (dot <= 0 || dot == stem.Length - 1) return null;
        return stem[..dot];
    }

    // .DS_Store, ._AppleDouble and .git are file-system droppings, not data.
    internal static bool IsHidden(string name) => name.StartsWith('.');
}

/** Draws decoded frames onto the player's canvas, sized to the frame so the CSS decides the display size. */
export class CanvasRenderer {
  private canvas: HTMLCanvasElement | null = null;
  private context: CanvasRenderingContext2D | null = null;

  attach(canvas: HTMLCanvasElement | null): void {
    this.canvas = canvas;
    this.context = null;
  }

  draw(bitmap: ImageBitmap): boolean {
    const canvas = this.canvas;
    if (!canvas) return false;
    // The context is asked for lazily: only environments that produced a bitmap can have a 2D canvas.
    this.context ??= canvas.getContext('2d', { alpha: false });
    if (!this.context) return false;
    if (canvas.width !== bitmap.width) canvas.width = bitmap.width;
    if (canvas.height !== bitmap.height) canvas.height = bitmap.height;
    this.context.drawImage(bitmap, 0, 0);
    return true;
  }
}

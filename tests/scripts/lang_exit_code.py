# sys.exit(3) ends the program with exit status 3 and prints nothing to stderr.
import sys
def main():
    print("about to exit")
    sys.exit(3)
if __name__ == "__main__":
    try:
        main()
    finally:
        print("finally before exit")
    print("never printed")
